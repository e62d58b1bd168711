package io.journeys.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a directed graph: a depth-first search from each node in turn (the start first) marks the back
 * edges, those to a node still on the search's path, which close the cycles; set aside, they leave a DAG in
 * which each node's layer is its longest path from a root. Both the report's step order and its drawing use
 * it, so that the table reads in the drawing's order.
 *
 * @param layer each node's layer
 * @param back whether each edge is a back edge
 * @param discovery the order in which the search first reached each node
 */
record GraphLayers(int[] layer, boolean[] back, int[] discovery) {

    /**
     * @param nodes how many nodes; the search starts from node 0, then from each node not reached yet
     * @param from each edge's source, by edge index; edges leave a node in their index order
     * @param to each edge's target
     */
    static GraphLayers of(int nodes, int[] from, int[] to) {
        List<List<Integer>> out = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            out.add(new ArrayList<>());
        }
        for (int e = 0; e < from.length; e++) {
            out.get(from[e]).add(e);
        }
        boolean[] back = new boolean[from.length];
        int[] discovery = new int[nodes];
        int[] state = new int[nodes]; // 0 unseen, 1 on the path, 2 done
        List<Integer> postorder = new ArrayList<>();
        int[] next = {0};
        for (int n = 0; n < nodes; n++) {
            if (state[n] == 0) {
                visit(n, out, to, state, back, discovery, postorder, next);
            }
        }
        // the reversed postorder is a topological order of the edges that are not back edges
        int[] layer = new int[nodes];
        for (int i = postorder.size() - 1; i >= 0; i--) {
            int node = postorder.get(i);
            for (int e : out.get(node)) {
                if (!back[e]) {
                    layer[to[e]] = Math.max(layer[to[e]], layer[node] + 1);
                }
            }
        }
        return new GraphLayers(layer, back, discovery);
    }

    private static void visit(int node, List<List<Integer>> out, int[] to, int[] state, boolean[] back,
            int[] discovery, List<Integer> postorder, int[] next) {
        state[node] = 1;
        discovery[node] = next[0]++;
        for (int e : out.get(node)) {
            if (state[to[e]] == 1) {
                back[e] = true;
            } else if (state[to[e]] == 0) {
                visit(to[e], out, to, state, back, discovery, postorder, next);
            }
        }
        state[node] = 2;
        postorder.add(node);
    }
}
