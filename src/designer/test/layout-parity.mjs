// Lays out graphs given on stdin with the page's layout (src/canvas/layout.js) and prints where each box went,
// for FlowLayoutParityTest to compare with the HTML report's FlowLayout: the designer draws as the report does.
// stdin: [{nodes: [id...], edges: [{from, to, branch}]}]; stdout: [{boxes: {id: [layer, x, y]}, back: [bool], crossings}]
import { layout } from '../src/canvas/layout.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const answers = JSON.parse(input).map(({ nodes, edges }) => {
  const flow = layout(nodes.map((id) => ({ id })), edges);
  return {
    boxes: Object.fromEntries([...flow.boxes].map(([id, box]) => [id, [box.layer, box.x, box.y]])),
    back: flow.routes.map((route) => route.back),
    crossings: flow.crossings,
  };
});
process.stdout.write(JSON.stringify(answers));
