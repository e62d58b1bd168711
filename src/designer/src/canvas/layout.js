// The layered left-to-right flow of the HTML report (io.journeys.report.FlowLayout and GraphLayers), in JS, so
// that the designer draws a journey as the report does: a step's layer is its longest path from the start once
// the back edges (those closing a cycle, found by a depth-first search from the start) are set aside; an edge
// spanning several layers passes through a placeholder in each layer between, so it never crosses a box; within
// a layer, steps are ordered by the barycentre of their neighbours, sweeping back and forth and keeping the order
// with the fewest crossings. Back edges run in lanes below the drawing. One difference: a box is as tall as its
// ports need (the designer shows one port per outgoing reference), so heights vary. Deterministic.

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 112;
export const LAYER_GAP = 100;
export const ROW_GAP = 40;
export const PLACEHOLDER_HEIGHT = 16;
export const MARGIN = 24;
export const LANE_GAP = 18;
const SWEEPS = 8;

/** @returns {{layer: number[], back: boolean[], discovery: number[]}} as GraphLayers.of */
export function graphLayers(count, from, to) {
  const out = Array.from({ length: count }, () => []);
  from.forEach((f, e) => out[f].push(e));
  const back = new Array(from.length).fill(false);
  const discovery = new Array(count).fill(0);
  const state = new Array(count).fill(0); // 0 unseen, 1 on the path, 2 done
  const postorder = [];
  let next = 0;
  // iterative depth-first search: a long chain of steps must not overflow the stack
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) continue;
    const stack = [[root, 0]];
    state[root] = 1;
    discovery[root] = next++;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < out[node].length) {
        top[1]++;
        const e = out[node][i];
        if (state[to[e]] === 1) {
          back[e] = true;
        } else if (state[to[e]] === 0) {
          state[to[e]] = 1;
          discovery[to[e]] = next++;
          stack.push([to[e], 0]);
        }
      } else {
        state[node] = 2;
        postorder.push(node);
        stack.pop();
      }
    }
  }
  const layer = new Array(count).fill(0);
  for (let i = postorder.length - 1; i >= 0; i--) {
    const node = postorder[i];
    for (const e of out[node]) {
      if (!back[e]) layer[to[e]] = Math.max(layer[to[e]], layer[node] + 1);
    }
  }
  return { layer, back, discovery };
}

/**
 * @param nodes [{id, height?}] start first
 * @param edges [{from, to, ...}]; one whose ends are not both among the nodes is left out
 * @returns {{boxes: Map<id, {id, layer, x, y, width, height}>, routes: [{edge, back, points}], width, height, crossings}}
 */
export function layout(nodes, edges) {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const kept = edges.filter((e) => index.has(e.from) && index.has(e.to));
  const from = kept.map((e) => index.get(e.from));
  const to = kept.map((e) => index.get(e.to));
  const { layer: layers, back, discovery } = graphLayers(nodes.length, from, to);
  const heightOf = (n) => nodes[n].height ?? NODE_HEIGHT;

  const columns = [];
  const column = (l) => {
    while (columns.length <= l) columns.push([]);
    return columns[l];
  };
  const steps = nodes.map((_, n) => ({ node: n, layer: layers[n], key: discovery[n], height: heightOf(n), y: 0 }));
  steps.forEach((item) => column(item.layer).push(item));
  const links = [];
  const placeholders = new Map();
  kept.forEach((_, e) => {
    if (back[e]) return;
    let previous = steps[from[e]];
    const chain = [];
    for (let l = layers[from[e]] + 1; l < layers[to[e]]; l++) {
      const placeholder = { node: -1, edge: e, layer: l, key: discovery[from[e]] + 0.5, height: PLACEHOLDER_HEIGHT, y: 0 };
      column(l).push(placeholder);
      chain.push(placeholder);
      links.push([previous, placeholder]);
      previous = placeholder;
    }
    links.push([previous, steps[to[e]]]);
    placeholders.set(e, chain);
  });
  columns.forEach((c) => c.sort((a, b) => a.key - b.key));
  const crossings = order(columns, links);
  return place(nodes, kept, back, columns, steps, placeholders, crossings);
}

function positions(columns) {
  const position = new Map();
  for (const c of columns) c.forEach((item, i) => position.set(item, i));
  return position;
}

function countCrossings(columns, links) {
  const position = positions(columns);
  let crossings = 0;
  for (let a = 0; a < links.length; a++) {
    for (let b = a + 1; b < links.length; b++) {
      const [xl, xr] = links[a];
      const [yl, yr] = links[b];
      if (xl.layer !== yl.layer) continue;
      const left = Math.sign(position.get(xl) - position.get(yl));
      const right = Math.sign(position.get(xr) - position.get(yr));
      if (left * right < 0) crossings++;
    }
  }
  return crossings;
}

/** Barycentre sweeps, down then up, keeping the order with the fewest crossings; returns how many remain. */
function order(columns, links) {
  let best = columns.map((c) => [...c]);
  let fewest = countCrossings(columns, links);
  for (let sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    const position = positions(columns);
    for (let step = 1; step < columns.length; step++) {
      const l = down ? step : columns.length - 1 - step;
      const sums = new Map();
      for (const [left, right] of links) {
        const self = down ? right : left;
        const other = down ? left : right;
        if (self.layer === l) {
          const sum = sums.get(self) ?? [0, 0];
          sum[0] += position.get(other);
          sum[1]++;
          sums.set(self, sum);
        }
      }
      for (const item of columns[l]) {
        const sum = sums.get(item);
        item.key = sum ? sum[0] / sum[1] : position.get(item);
      }
      columns[l].sort((a, b) => a.key - b.key); // stable, as Java's List.sort
      columns[l].forEach((item, i) => position.set(item, i));
    }
    const crossings = countCrossings(columns, links);
    if (crossings < fewest) {
      fewest = crossings;
      best = columns.map((c) => [...c]);
    }
  }
  best.forEach((c, l) => { columns[l] = c; });
  return fewest;
}

const columnHeight = (c) => c.reduce((sum, item) => sum + item.height, 0) + Math.max(0, c.length - 1) * ROW_GAP;
const xOf = (l) => MARGIN + l * (NODE_WIDTH + LAYER_GAP);

function place(nodes, edges, back, columns, steps, placeholders, crossings) {
  const tallest = Math.max(0, ...columns.map(columnHeight));
  for (const c of columns) {
    let y = MARGIN + (tallest - columnHeight(c)) / 2;
    for (const item of c) {
      item.y = y;
      y += item.height + ROW_GAP;
    }
  }
  const boxes = new Map();
  for (const s of steps) {
    const id = nodes[s.node].id;
    boxes.set(id, { id, layer: s.layer, x: xOf(s.layer), y: s.y, width: NODE_WIDTH, height: s.height });
  }
  const laneTop = MARGIN + tallest + LANE_GAP;
  const routes = edges.map((edge, e) => {
    if (back[e]) return { edge, back: true, lane: 0, points: [] };
    const points = [];
    for (const p of placeholders.get(e)) {
      const middle = p.y + PLACEHOLDER_HEIGHT / 2;
      points.push({ x: xOf(p.layer), y: middle }, { x: xOf(p.layer) + NODE_WIDTH, y: middle });
    }
    return { edge, back: false, points };
  });
  let lane = 0;
  routes.forEach((r) => {
    if (r.back) r.laneY = laneTop + (r.lane = lane++) * LANE_GAP;
  });
  const width = 2 * MARGIN + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * LAYER_GAP;
  const height = MARGIN + tallest + (lane === 0 ? 0 : LANE_GAP * (lane + 1)) + MARGIN;
  return { boxes, routes, width, height, crossings, laneTop };
}

/**
 * The SVG path of an edge from a port (exit) to a box's left side (entry): horizontal cubic curves through
 * the placeholders of a forward edge; a back edge (or one whose ends the author moved so that it goes
 * backwards) runs out right, down to its lane below the drawing, left, and up into its target.
 */
export function edgePath(exit, entry, via, laneY, lane = 0) {
  if (laneY !== undefined) {
    const outX = exit.x + 14 + 5 * lane;
    const inX = entry.x - 14 - 5 * lane;
    return `M${exit.x},${exit.y} H${outX} V${laneY} H${inX} V${entry.y} H${entry.x}`;
  }
  const points = [exit, ...via, entry];
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (i % 2 === 0 && via.length) {
      d += ` L${b.x},${b.y}`; // across a placeholder: straight
    } else {
      const half = (b.x - a.x) / 2;
      d += ` C${a.x + half},${a.y} ${b.x - half},${b.y} ${b.x},${b.y}`;
    }
  }
  return d;
}
