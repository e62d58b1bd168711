// Where everything of a journey's drawing goes: the boxes of the flow layout (or where the author pinned them),
// a port per outgoing reference down each box's right side, the entry box before the start, and each edge's
// path. Pure: the canvas draws what this returns.

import { layout, edgePath, NODE_WIDTH, NODE_HEIGHT, MARGIN, LANE_GAP } from './layout.js';

export const HEADER = 58;
export const PORT_GAP = 20;
export const ENTRY_WIDTH = 180;
const ENTRY_GAP = 70;

export function nodeHeight(ports) {
  return Math.max(NODE_HEIGHT, HEADER + PORT_GAP * ports + 6);
}

/** A port's place relative to its box. */
export function portOffset(i) {
  return { x: NODE_WIDTH, y: HEADER + PORT_GAP * i + PORT_GAP / 2 - 4 };
}

/**
 * @param graph from journey/graph.js
 * @param pinned {stepId: {x, y}}
 * @returns {{boxes: Map, edges: [{edge, d, exit, entry}], entry: {x, y, width, height}|null, bounds}}
 */
export function sceneOf(graph, pinned = {}) {
  const nodes = graph.steps.map((s) => ({ id: s.id, height: nodeHeight(s.ports.length) }));
  const flow = layout(nodes, graph.edges);
  const shift = ENTRY_WIDTH + ENTRY_GAP; // room for the entry box left of the first layer
  const boxes = new Map();
  for (const step of graph.steps) {
    const box = flow.boxes.get(step.id);
    const pin = pinned[step.id];
    boxes.set(step.id, { ...box, x: pin ? pin.x : box.x + shift, y: pin ? pin.y : box.y, pinned: Boolean(pin), step });
  }

  // each edge arrives down its target's left side, spread in the order of where it comes from (as FlowLayout)
  const arriving = new Map();
  graph.edges.forEach((edge, e) => {
    if (!arriving.has(edge.to)) arriving.set(edge.to, []);
    arriving.get(edge.to).push(e);
  });
  const entries = new Map();
  for (const [to, list] of arriving) {
    const box = boxes.get(to);
    const sorted = [...list].sort((a, b) => boxes.get(graph.edges[a].from).y - boxes.get(graph.edges[b].from).y);
    sorted.forEach((e, i) => entries.set(e, { x: box.x, y: box.y + (box.height * (i + 1)) / (sorted.length + 1) }));
  }

  const bottom = Math.max(MARGIN, ...[...boxes.values()].map((b) => b.y + b.height));
  let lane = 0;
  const edges = graph.edges.map((edge, e) => {
    const from = boxes.get(edge.from);
    const portIndex = from.step.ports.findIndex((p) => p.name === edge.port);
    const offset = portOffset(portIndex);
    const exit = { x: from.x + offset.x, y: from.y + offset.y };
    const entry = entries.get(e);
    const route = flow.routes[e];
    const moved = from.pinned || boxes.get(edge.to).pinned;
    let d;
    if (entry.x > exit.x + 20 && !(route.back && !moved)) {
      const via = moved ? [] : route.points.map((p) => ({ x: p.x + shift, y: p.y }));
      d = edgePath(exit, entry, via);
    } else {
      // backwards: through a lane below everything, as the report draws a loop
      d = edgePath(exit, entry, [], bottom + LANE_GAP * (lane + 1), lane);
      lane++;
    }
    return { edge, d, exit, entry };
  });

  let entry = null;
  if (graph.entry || graph.exits.length) {
    const start = graph.start && boxes.get(graph.start);
    const height = 64 + 16 * Math.min(graph.exits.length, 4);
    const y = start ? start.y + start.height / 2 - height / 2 : MARGIN;
    entry = { x: start ? start.x - shift : MARGIN, y, width: ENTRY_WIDTH, height,
      to: start ? { x: start.x, y: start.y + start.height / 2 } : null };
  }

  const all = [...boxes.values()];
  if (entry) all.push(entry);
  const bounds = all.length === 0 ? { x: 0, y: 0, width: 400, height: 300 } : (() => {
    const x0 = Math.min(...all.map((b) => b.x));
    const y0 = Math.min(...all.map((b) => b.y));
    const x1 = Math.max(...all.map((b) => b.x + (b.width ?? NODE_WIDTH)));
    const y1 = Math.max(...all.map((b) => b.y + b.height), bottom + LANE_GAP * (lane + 1));
    return { x: x0 - MARGIN, y: y0 - MARGIN, width: x1 - x0 + 2 * MARGIN, height: y1 - y0 + 2 * MARGIN };
  })();
  return { boxes, edges, entry, bounds };
}
