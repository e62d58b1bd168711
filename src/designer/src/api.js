// The designer server's API (DESIGN §9.5). Every failure answers {"error": "..."}: it is thrown as an Error
// with that message (and the answer's body, e.g. the documents' problems of a refused simulation).

async function call(method, path, body, { text = false, bytes = false } = {}) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // a document is decoded keeping a byte order mark, so that saving it untouched writes the same bytes
  const raw = bytes && response.ok ? new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer())
    : await response.text();
  if (!response.ok) {
    let answer = null;
    try {
      answer = JSON.parse(raw);
    } catch {
      // not JSON: the status says it
    }
    const error = new Error(answer?.error ?? `${method} ${path}: HTTP ${response.status}`);
    error.answer = answer;
    error.status = response.status;
    throw error;
  }
  return text ? raw : JSON.parse(raw);
}

const file = (name) => '/api/documents/' + encodeURIComponent(name);

export const api = {
  documents: () => call('GET', '/api/documents'),
  /** The file's bytes as text, unchanged: the start of the byte-identical round trip. */
  read: (name) => call('GET', file(name), undefined, { text: true, bytes: true }),
  write: (name, text) => call('PUT', file(name), text),
  validate: (text, name) => call('POST', '/api/validate' + (name ? '?file=' + encodeURIComponent(name) : ''), text),
  simulate: (documents, events, profiles) => call('POST', '/api/simulate', { documents, events, profiles: profiles || null }),
  samples: () => call('GET', '/api/samples'),
  info: () => call('GET', '/api/info'),
  /** The report of the step-events topic; with since, waits up to `wait` seconds for more than that many events. */
  live: (since, wait) => call('GET', '/api/live' + (since >= 0 ? `?since=${since}&wait=${wait}` : '')),
  publish: (text, name) => call('POST', '/api/publish' + (name ? '?file=' + encodeURIComponent(name) : ''), text),
};
