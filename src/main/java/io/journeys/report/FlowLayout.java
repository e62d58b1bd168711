package io.journeys.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a journey's graph out as a left-to-right flow (a Sugiyama-style layered drawing): each step's layer is
 * its longest path from the start once the back edges are set aside ({@link GraphLayers}); an edge that spans several layers passes through a placeholder in each layer
 * between, so that it never crosses a box; within a layer, steps are ordered by the barycentre of their
 * neighbours, sweeping back and forth and keeping the order with the fewest crossings. Back edges run in lanes
 * below the drawing, so a loop is visible as one. Deterministic: the same graph gives the same drawing.
 */
final class FlowLayout {

    static final double NODE_WIDTH = 200;
    static final double NODE_HEIGHT = 112;
    static final double LAYER_GAP = 100;
    static final double ROW_GAP = 40;
    static final double PLACEHOLDER_HEIGHT = 16;
    static final double MARGIN = 24;
    static final double LANE_GAP = 18;
    private static final int SWEEPS = 8;

    /** An edge to draw: the ports of a step. */
    record Edge(String from, String to, String branch) {}

    record Point(double x, double y) {}

    /** A step's box: its top-left corner. */
    record Box(String id, int layer, double x, double y) {
        Point centre() {
            return new Point(x + NODE_WIDTH / 2, y + NODE_HEIGHT / 2);
        }
    }

    /**
     * How an edge is drawn: through {@code points}, as curves between them when it goes forward (leaving and
     * arriving horizontally), as straight segments when it is a back edge.
     *
     * @param labelSpots where its label may go, best first: along its first curve, or along its lane
     */
    record Route(Edge edge, boolean back, List<Point> points, List<Point> labelSpots) {}

    /** Where along a route its label may sit, the middle first, then further out on either side. */
    private static final double[] LABEL_POSITIONS = {0.5, 0.35, 0.65, 0.2, 0.8};

    /** @param crossings pairs of forward edges that cross between two layers (back edges not counted) */
    record Layout(Map<String, Box> boxes, List<Route> routes, double width, double height, long crossings) {}

    /** An item of a layer: a step, or the placeholder of a long edge ({@code node} -1). */
    private static final class Item {
        final int node;
        final int edge;
        int layer;
        double key;
        double y;

        Item(int node, int edge, int layer, double key) {
            this.node = node;
            this.edge = edge;
            this.layer = layer;
            this.key = key;
        }

        double height() {
            return node >= 0 ? NODE_HEIGHT : PLACEHOLDER_HEIGHT;
        }
    }

    private record Link(Item left, Item right) {}

    private final List<String> nodes;
    private final List<Edge> edges = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();
    private boolean[] back;
    private int[] discovery;

    private FlowLayout(List<String> nodes, List<Edge> allEdges) {
        this.nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        for (Edge edge : allEdges) {
            if (index.containsKey(edge.from()) && index.containsKey(edge.to())) {
                edges.add(edge);
            }
        }
    }

    /**
     * @param nodes the steps, start first (a depth-first search from each in turn finds the back edges)
     * @param edges the edges; one whose ends are not both among {@code nodes} is left out
     */
    static Layout layout(List<String> nodes, List<Edge> edges) {
        return new FlowLayout(nodes, edges).run();
    }

    private Layout run() {
        int[] from = new int[edges.size()];
        int[] to = new int[edges.size()];
        for (int e = 0; e < edges.size(); e++) {
            from[e] = index.get(edges.get(e).from());
            to[e] = index.get(edges.get(e).to());
        }
        GraphLayers graph = GraphLayers.of(nodes.size(), from, to);
        back = graph.back();
        discovery = graph.discovery();
        int[] layers = graph.layer();
        List<List<Item>> columns = new ArrayList<>();
        Item[] steps = new Item[nodes.size()];
        List<Link> links = new ArrayList<>();
        Map<Integer, List<Item>> placeholders = new HashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            steps[n] = new Item(n, -1, layers[n], discovery[n]);
            column(columns, layers[n]).add(steps[n]);
        }
        for (int e = 0; e < edges.size(); e++) {
            if (back[e]) {
                continue;
            }
            Item previous = steps[from[e]];
            List<Item> chain = new ArrayList<>();
            for (int layer = layers[from[e]] + 1; layer < layers[to[e]]; layer++) {
                Item placeholder = new Item(-1, e, layer, discovery[from[e]] + 0.5);
                column(columns, layer).add(placeholder);
                chain.add(placeholder);
                links.add(new Link(previous, placeholder));
                previous = placeholder;
            }
            links.add(new Link(previous, steps[to[e]]));
            placeholders.put(e, chain);
        }
        columns.forEach(c -> c.sort(Comparator.comparingDouble(i -> i.key)));
        long crossings = order(columns, links);
        return place(columns, steps, placeholders, crossings);
    }

    private static List<Item> column(List<List<Item>> columns, int layer) {
        while (columns.size() <= layer) {
            columns.add(new ArrayList<>());
        }
        return columns.get(layer);
    }

    /** Barycentre sweeps, down then up, keeping the order with the fewest crossings; returns how many remain. */
    private static long order(List<List<Item>> columns, List<Link> links) {
        List<List<Item>> best = copy(columns);
        long fewest = crossings(columns, links);
        for (int sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
            boolean down = sweep % 2 == 0;
            Map<Item, Integer> position = positions(columns);
            for (int step = 1; step < columns.size(); step++) {
                int layer = down ? step : columns.size() - 1 - step;
                Map<Item, double[]> sums = new HashMap<>();
                for (Link link : links) {
                    Item self = down ? link.right() : link.left();
                    Item other = down ? link.left() : link.right();
                    if (self.layer == layer) {
                        double[] sum = sums.computeIfAbsent(self, i -> new double[2]);
                        sum[0] += position.get(other);
                        sum[1]++;
                    }
                }
                for (Item item : columns.get(layer)) {
                    double[] sum = sums.get(item);
                    item.key = sum == null ? position.get(item) : sum[0] / sum[1];
                }
                columns.get(layer).sort(Comparator.comparingDouble(i -> i.key));
                List<Item> column = columns.get(layer);
                for (int i = 0; i < column.size(); i++) {
                    position.put(column.get(i), i);
                }
            }
            long crossings = crossings(columns, links);
            if (crossings < fewest) {
                fewest = crossings;
                best = copy(columns);
            }
        }
        for (int layer = 0; layer < columns.size(); layer++) {
            columns.set(layer, best.get(layer));
        }
        return fewest;
    }

    private static List<List<Item>> copy(List<List<Item>> columns) {
        return columns.stream().map(c -> (List<Item>) new ArrayList<>(c)).toList();
    }

    private static Map<Item, Integer> positions(List<List<Item>> columns) {
        Map<Item, Integer> position = new HashMap<>();
        for (List<Item> column : columns) {
            for (int i = 0; i < column.size(); i++) {
                position.put(column.get(i), i);
            }
        }
        return position;
    }

    /** Pairs of links between the same two layers that cross. */
    private static long crossings(List<List<Item>> columns, List<Link> links) {
        Map<Item, Integer> position = positions(columns);
        long crossings = 0;
        for (int a = 0; a < links.size(); a++) {
            for (int b = a + 1; b < links.size(); b++) {
                Link x = links.get(a);
                Link y = links.get(b);
                if (x.left().layer != y.left().layer) {
                    continue;
                }
                long left = Integer.compare(position.get(x.left()), position.get(y.left()));
                long right = Integer.compare(position.get(x.right()), position.get(y.right()));
                if (left * right < 0) {
                    crossings++;
                }
            }
        }
        return crossings;
    }

    private Layout place(List<List<Item>> columns, Item[] steps, Map<Integer, List<Item>> placeholders,
            long crossings) {
        double tallest = 0;
        for (List<Item> column : columns) {
            tallest = Math.max(tallest, columnHeight(column));
        }
        for (List<Item> column : columns) {
            double y = MARGIN + (tallest - columnHeight(column)) / 2;
            for (Item item : column) {
                item.y = y;
                y += item.height() + ROW_GAP;
            }
        }
        Map<String, Box> boxes = new LinkedHashMap<>();
        for (Item step : steps) {
            boxes.put(nodes.get(step.node), new Box(nodes.get(step.node), step.layer, x(step.layer), step.y));
        }
        int backEdges = 0;
        for (boolean b : back) {
            backEdges += b ? 1 : 0;
        }
        double laneTop = MARGIN + tallest + LANE_GAP;
        Ports ports = new Ports(boxes);
        List<Route> routes = new ArrayList<>();
        int lane = 0;
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            Point exit = ports.exit(e);
            Point entry = ports.entry(e);
            if (back[e]) {
                double laneY = laneTop + lane * LANE_GAP;
                double outX = exit.x() + 14 + 5 * lane;
                double inX = entry.x() - 14 - 5 * lane;
                lane++;
                List<Point> spots = new ArrayList<>();
                for (double t : LABEL_POSITIONS) {
                    spots.add(new Point(outX + (inX - outX) * t, laneY - 4));
                }
                routes.add(new Route(edge, true, List.of(exit, new Point(outX, exit.y()), new Point(outX, laneY),
                        new Point(inX, laneY), new Point(inX, entry.y()), entry), List.copyOf(spots)));
                continue;
            }
            List<Point> points = new ArrayList<>();
            points.add(exit);
            for (Item placeholder : placeholders.get(e)) {
                double middle = placeholder.y + PLACEHOLDER_HEIGHT / 2;
                points.add(new Point(x(placeholder.layer), middle));
                points.add(new Point(x(placeholder.layer) + NODE_WIDTH, middle));
            }
            points.add(entry);
            List<Point> spots = new ArrayList<>();
            for (double t : LABEL_POSITIONS) {
                spots.add(onCurve(exit, points.get(1), t));
            }
            routes.add(new Route(edge, false, List.copyOf(points), List.copyOf(spots)));
        }
        double width = 2 * MARGIN + columns.size() * NODE_WIDTH + Math.max(0, columns.size() - 1) * LAYER_GAP;
        double height = MARGIN + tallest + (backEdges == 0 ? 0 : LANE_GAP * (backEdges + 1)) + MARGIN;
        return new Layout(boxes, routes, width, height, crossings);
    }

    /**
     * The point at {@code t} of the curve from {@code from} to {@code to} that leaves and arrives horizontally:
     * a cubic Bézier with its control points half way across, at the heights of its ends.
     */
    static Point onCurve(Point from, Point to, double t) {
        double u = 1 - t;
        double half = (to.x() - from.x()) / 2;
        double x = u * u * u * from.x() + 3 * u * u * t * (from.x() + half) + 3 * u * t * t * (to.x() - half)
                + t * t * t * to.x();
        double y = (u * u * u + 3 * u * u * t) * from.y() + (3 * u * t * t + t * t * t) * to.y();
        return new Point(x, y);
    }

    private static double columnHeight(List<Item> column) {
        return column.stream().mapToDouble(Item::height).sum() + Math.max(0, column.size() - 1) * ROW_GAP;
    }

    private static double x(int layer) {
        return MARGIN + layer * (NODE_WIDTH + LAYER_GAP);
    }

    /**
     * Where each edge leaves its source (spread down the right side, ordered by where they go) and enters its
     * target (spread down the left side, ordered by where they come from), so that parallel edges, such as
     * two branches to the same step, stay apart.
     */
    private final class Ports {
        private final Map<Integer, Point> exits = new HashMap<>();
        private final Map<Integer, Point> entries = new HashMap<>();

        Ports(Map<String, Box> boxes) {
            Map<String, List<Integer>> leaving = new HashMap<>();
            Map<String, List<Integer>> arriving = new HashMap<>();
            for (int e = 0; e < edges.size(); e++) {
                leaving.computeIfAbsent(edges.get(e).from(), n -> new ArrayList<>()).add(e);
                arriving.computeIfAbsent(edges.get(e).to(), n -> new ArrayList<>()).add(e);
            }
            // back edges go to the lanes below: they leave and arrive lowest
            leaving.forEach((node, list) -> spread(boxes.get(node), list, exits, true,
                    Comparator.comparing((Integer e) -> back[e])
                            .thenComparingDouble(e -> boxes.get(edges.get(e).to()).y())));
            arriving.forEach((node, list) -> spread(boxes.get(node), list, entries, false,
                    Comparator.comparing((Integer e) -> back[e])
                            .thenComparingDouble(e -> boxes.get(edges.get(e).from()).y())));
        }

        private void spread(Box box, List<Integer> list, Map<Integer, Point> into, boolean right,
                Comparator<Integer> order) {
            List<Integer> sorted = new ArrayList<>(list);
            sorted.sort(order);
            double x = right ? box.x() + NODE_WIDTH : box.x();
            for (int i = 0; i < sorted.size(); i++) {
                into.put(sorted.get(i), new Point(x, box.y() + NODE_HEIGHT * (i + 1) / (sorted.size() + 1)));
            }
        }

        Point exit(int edge) {
            return exits.get(edge);
        }

        Point entry(int edge) {
            return entries.get(edge);
        }
    }
}
