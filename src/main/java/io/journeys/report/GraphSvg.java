package io.journeys.report;

import static io.journeys.report.FlowLayout.NODE_HEIGHT;
import static io.journeys.report.FlowLayout.NODE_WIDTH;
import static io.journeys.report.Html.coordinate;
import static io.journeys.report.Html.escape;

import io.journeys.report.FlowLayout.Box;
import io.journeys.report.FlowLayout.Point;
import io.journeys.report.FlowLayout.Route;
import io.journeys.report.JourneyReport.EdgeCount;
import io.journeys.report.JourneyReport.StepCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One journey version's graph as inline SVG: each step a box with its id, type and counts
 * ({@code data-step-id} and a {@code data-*} attribute per count), each edge a path with an arrowhead labelled
 * with its count and share of its source's departures ({@code data-edge="from->to"}, {@code data-branch});
 * edges never taken are grey, back edges dashed in the lanes below.
 */
final class GraphSvg {

    /** Characters of a step id that fit on its box's first line. */
    private static final int ID_CHARACTERS = 22;

    private GraphSvg() {}

    /** @param suffix makes the marker ids unique within the page */
    static String render(JourneyReport journey, String suffix) {
        List<String> steps = new ArrayList<>(journey.steps().keySet());
        List<FlowLayout.Edge> edges = journey.edges().stream()
                .map(e -> new FlowLayout.Edge(e.from(), e.to(), e.branch())).toList();
        FlowLayout.Layout layout = FlowLayout.layout(steps, edges);
        Map<FlowLayout.Edge, Long> counts = new HashMap<>();
        journey.edges().forEach(e -> counts.merge(new FlowLayout.Edge(e.from(), e.to(), e.branch()), e.count(),
                Long::sum));
        Map<String, Long> portsOut = journey.edges().stream()
                .collect(Collectors.groupingBy(EdgeCount::from, Collectors.counting()));

        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"graph\" width=\"").append(coordinate(layout.width())).append("\" height=\"")
                .append(coordinate(layout.height())).append("\" viewBox=\"0 0 ").append(coordinate(layout.width()))
                .append(' ').append(coordinate(layout.height())).append("\" role=\"img\" aria-label=\"")
                .append(escape("graph of " + journey.key())).append("\">\n");
        svg.append("<defs>").append(marker("arrow" + suffix, "taken")).append(marker("arrow-untaken" + suffix,
                "untaken")).append("</defs>\n<g class=\"edges\">\n");
        LabelSpace space = new LabelSpace(layout);
        for (Route route : layout.routes()) {
            long count = counts.getOrDefault(route.edge(), 0L);
            edge(svg, route, count, journey.departures(route.edge().from()),
                    portsOut.getOrDefault(route.edge().from(), 0L) > 1, space, suffix);
        }
        svg.append("</g>\n<g class=\"steps\">\n");
        for (Map.Entry<String, StepCounts> step : journey.steps().entrySet()) {
            node(svg, layout.boxes().get(step.getKey()), step.getValue());
        }
        return svg.append("</g>\n</svg>\n").toString();
    }

    private static String marker(String id, String kind) {
        return "<marker id=\"" + id + "\" class=\"arrowhead " + kind + "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\""
                + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
                + "</marker>";
    }

    private static void edge(StringBuilder svg, Route route, long count, long departures, boolean namePort,
            LabelSpace space, String suffix) {
        FlowLayout.Edge edge = route.edge();
        boolean taken = count > 0;
        String share = departures == 0 ? "–" : String.format(Locale.ROOT, "%.0f%%", 100.0 * count / departures);
        svg.append("<g class=\"edge ").append(taken ? "taken" : "untaken").append(route.back() ? " back" : "")
                .append("\" data-edge=\"").append(escape(edge.from() + "->" + edge.to()))
                .append("\" data-from=\"").append(escape(edge.from())).append("\" data-to=\"").append(escape(edge.to()))
                .append("\" data-branch=\"").append(escape(edge.branch() == null ? "" : edge.branch()))
                .append("\" data-count=\"").append(count).append("\">");
        svg.append("<title>").append(escape(edge.from() + " → " + edge.to()
                + (edge.branch() == null ? "" : " (" + edge.branch() + ")") + ": " + count + " of " + departures
                + " departures" + (route.back() ? ", back edge" : ""))).append("</title>");
        svg.append("<path d=\"").append(path(route)).append("\" marker-end=\"url(#")
                .append(taken ? "arrow" : "arrow-untaken").append(suffix).append(")\"/>");
        // the port's name on a line of its own when the step has several: labels stay narrower than the gap
        boolean portLine = namePort && edge.branch() != null;
        String figures = count + " · " + share;
        Point spot = space.place(route.labelSpots(),
                Math.max(figures.length(), portLine ? edge.branch().length() : 0), portLine ? 2 : 1);
        String x = coordinate(spot.x());
        svg.append("<text class=\"edge-label\" x=\"").append(x).append("\" y=\"").append(coordinate(spot.y()))
                .append("\">");
        if (portLine) {
            svg.append("<tspan class=\"port\" x=\"").append(x).append("\" dy=\"-0.35em\">").append(escape(edge.branch()))
                    .append("</tspan><tspan x=\"").append(x).append("\" dy=\"1.15em\">");
        } else {
            svg.append("<tspan dy=\"0.35em\">");
        }
        svg.append(escape(figures)).append("</tspan></text></g>\n");
    }

    /** Forward edges as curves leaving and arriving horizontally (straight through placeholders), back edges straight. */
    private static String path(Route route) {
        List<Point> points = route.points();
        StringBuilder d = new StringBuilder("M").append(xy(points.get(0)));
        for (int i = 1; i < points.size(); i++) {
            Point from = points.get(i - 1);
            Point to = points.get(i);
            boolean throughPlaceholder = !route.back() && i % 2 == 0 && i < points.size() - 1;
            if (route.back() || throughPlaceholder) {
                d.append(" L").append(xy(to));
            } else {
                double half = (to.x() - from.x()) / 2;
                d.append(" C").append(xy(new Point(from.x() + half, from.y()))).append(' ')
                        .append(xy(new Point(to.x() - half, to.y()))).append(' ').append(xy(to));
            }
        }
        return d.toString();
    }

    private static String xy(Point point) {
        return coordinate(point.x()) + "," + coordinate(point.y());
    }

    private static void node(StringBuilder svg, Box box, StepCounts counts) {
        String errors = codes(counts.errors());
        String rules = codes(counts.rules());
        svg.append("<g class=\"step").append(counts.reached() == 0 ? " unreached" : "")
                .append(counts.waiting() > 0 ? " has-waiting" : "").append("\" tabindex=\"0\" data-step-id=\"")
                .append(escape(box.id())).append("\" data-type=\"").append(escape(counts.type() == null ? "" : counts.type()))
                .append("\" data-reached=\"").append(counts.reached()).append("\" data-waiting=\"").append(counts.waiting())
                .append("\" data-held=\"").append(counts.held())
                .append("\" data-executed=\"").append(counts.executed()).append("\" data-completed=\"")
                .append(counts.completed()).append("\" data-exited=\"").append(counts.exited())
                .append("\" data-timed-out=\"").append(counts.timedOut()).append("\" data-skipped=\"")
                .append(counts.skipped()).append("\" data-excluded=\"").append(counts.excluded())
                .append("\" data-errors=\"").append(counts.errorTotal())
                .append("\" data-error-codes=\"").append(escape(errors))
                .append("\" data-rule-codes=\"").append(escape(rules)).append("\">");
        svg.append("<title>").append(escape(box.id() + (counts.type() == null ? "" : " (" + counts.type() + ")")
                + ": reached " + counts.reached() + ", waiting " + counts.waiting()
                + (counts.held() == 0 ? "" : ", held " + counts.held())
                + (counts.skipped() == 0 ? "" : ", skipped " + counts.skipped())
                + (counts.excluded() == 0 ? "" : ", excluded " + counts.excluded())
                + (errors.isEmpty() ? "" : ", errors " + errors)
                + (rules.isEmpty() ? "" : ", rules " + rules))).append("</title>");
        svg.append("<rect x=\"").append(coordinate(box.x())).append("\" y=\"").append(coordinate(box.y()))
                .append("\" width=\"").append(coordinate(NODE_WIDTH)).append("\" height=\"").append(coordinate(NODE_HEIGHT))
                .append("\" rx=\"6\"/>");
        double left = box.x() + 8;
        double middle = box.x() + NODE_WIDTH / 2 + 4;
        text(svg, "step-id", left, box.y() + 19, shortened(box.id()));
        text(svg, "step-type", left, box.y() + 35, counts.type() == null ? "step" : counts.type());
        // five rows at 13 px fit the box's height as four at 16 did: the layout (and the designer's copy) keep it
        String[][] figures = {{"reached", "waiting"}, {"held", "executed"}, {"completed", "exited"},
                {"timedOut", "skipped"}, {"excluded", "errors"}};
        long[][] values = {
                {counts.reached(), counts.waiting()}, {counts.held(), counts.executed()},
                {counts.completed(), counts.exited()}, {counts.timedOut(), counts.skipped()},
                {counts.excluded(), counts.errorTotal()}};
        for (int row = 0; row < figures.length; row++) {
            double y = box.y() + 52 + row * 13;
            figure(svg, left, box.x() + NODE_WIDTH / 2 - 4, y, figures[row][0], values[row][0]);
            figure(svg, middle, box.x() + NODE_WIDTH - 8, y, figures[row][1], values[row][1]);
        }
        svg.append("</g>\n");
    }

    private static String codes(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** A figure's name from {@code x}, its value right-aligned at {@code valueEnd}, so columns line up. */
    private static void figure(StringBuilder svg, double x, double valueEnd, double y, String name, long value) {
        String zero = value == 0 ? " zero" : "";
        svg.append("<text class=\"figure").append(zero).append("\" x=\"").append(coordinate(x)).append("\" y=\"")
                .append(coordinate(y)).append("\">").append(escape(name)).append("</text>");
        svg.append("<text class=\"value").append(zero).append("\" x=\"").append(coordinate(valueEnd)).append("\" y=\"")
                .append(coordinate(y)).append("\" data-figure=\"").append(escape(name)).append("\">")
                .append(compact(value)).append("</text>");
    }

    private static void text(StringBuilder svg, String kind, double x, double y, String text) {
        svg.append("<text class=\"").append(kind).append("\" x=\"").append(coordinate(x)).append("\" y=\"")
                .append(coordinate(y)).append("\">").append(escape(text)).append("</text>");
    }

    /**
     * Where labels already are: each label takes the first of its spots where it overlaps neither a box nor
     * another label (else its first spot), so that the labels of edges leaving one step stay readable.
     */
    private static final class LabelSpace {
        private static final double CHARACTER_WIDTH = 6.2;
        private static final double LINE_HEIGHT = 13;

        private final List<double[]> taken = new ArrayList<>();

        LabelSpace(FlowLayout.Layout layout) {
            for (Box box : layout.boxes().values()) {
                taken.add(new double[] {box.x(), box.y(), box.x() + NODE_WIDTH, box.y() + NODE_HEIGHT});
            }
        }

        Point place(List<Point> spots, int characters, int lines) {
            double halfWidth = characters * CHARACTER_WIDTH / 2 + 2;
            double halfHeight = lines * LINE_HEIGHT / 2;
            for (Point spot : spots) {
                double[] area = {spot.x() - halfWidth, spot.y() - halfHeight, spot.x() + halfWidth, spot.y() + halfHeight};
                if (taken.stream().noneMatch(other -> overlap(area, other))) {
                    taken.add(area);
                    return spot;
                }
            }
            Point first = spots.get(0);
            taken.add(new double[] {first.x() - halfWidth, first.y() - halfHeight, first.x() + halfWidth,
                    first.y() + halfHeight});
            return first;
        }

        private static boolean overlap(double[] a, double[] b) {
            return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
        }
    }

    /** A count short enough for its box: exact below 10,000, then 12.3k, 4.56M (exact in the tables and tooltips). */
    static String compact(long count) {
        if (count < 10_000) {
            return Long.toString(count);
        }
        if (count < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", count / 1_000.0);
        }
        return String.format(Locale.ROOT, "%.2fM", count / 1_000_000.0);
    }

    private static String shortened(String id) {
        return id.length() <= ID_CHARACTERS ? id : id.substring(0, ID_CHARACTERS - 1) + "…";
    }
}
