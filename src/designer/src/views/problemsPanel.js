// The problems panel: what POST /api/validate answered for the current text, one item per problem
// (data-problem-code, data-pointer); a click selects the step and field the pointer names.

export function createProblemsPanel(container, { onPick }) {
  container.innerHTML = `<h2>Problems <span class="problem-count"></span></h2><ul class="problems"></ul>`;
  const count = container.querySelector('.problem-count');
  const list = container.querySelector('ul');

  function render(state) {
    count.textContent = state.validating ? '…' : String(state.problems.length);
    container.classList.toggle('has-problems', state.problems.length > 0);
    const items = state.problems.map((p) => {
      const li = document.createElement('li');
      li.dataset.problemCode = p.code;
      li.dataset.pointer = p.pointer ?? '';
      li.tabIndex = 0;
      li.innerHTML = '<b></b> <code></code> <span></span>';
      li.children[0].textContent = p.code;
      li.children[1].textContent = p.pointer || '/';
      li.children[2].textContent = p.message;
      const pick = () => onPick(p);
      li.addEventListener('click', pick);
      li.addEventListener('keydown', (e) => e.key === 'Enter' && pick());
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'none';
      li.textContent = state.validating ? 'Validating…' : `No problems: the engine accepts this ${state.value?.kind === 'rules' ? 'rule set' : state.value?.kind === 'action' ? 'action definition' : 'journey'}.`;
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  return { render };
}
