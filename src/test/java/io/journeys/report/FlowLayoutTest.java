package io.journeys.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.report.FlowLayout.Box;
import io.journeys.report.FlowLayout.Edge;
import io.journeys.report.FlowLayout.Layout;
import io.journeys.report.FlowLayout.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowLayoutTest {

    @Test
    void shouldLayerStepsByTheirLongestPathFromTheStart() {
        Layout layout = FlowLayout.layout(List.of("a", "b", "c", "d"),
                List.of(edge("a", "b"), edge("b", "c"), edge("a", "c"), edge("c", "d")));

        assertThat(layers(layout, "a", "b", "c", "d")).containsExactly(0, 1, 2, 3);
        assertThat(layout.boxes().get("b").x()).isLessThan(layout.boxes().get("c").x());
    }

    @Test
    void shouldRouteALongEdgeThroughEachLayerItSpansWithoutCrossingABox() {
        Layout layout = FlowLayout.layout(List.of("a", "b", "c", "d"),
                List.of(edge("a", "b"), edge("b", "c"), edge("c", "d"), edge("a", "d")));

        Route skip = route(layout, "a", "d");
        // leaves a, crosses layers 1 and 2 through a placeholder each, arrives at d
        assertThat(skip.points()).hasSize(6);
        for (Box box : List.of(layout.boxes().get("b"), layout.boxes().get("c"))) {
            assertThat(skip.points()).noneSatisfy(p -> assertThat(inside(p, box)).isTrue());
        }
        assertThat(skip.back()).isFalse();
    }

    @Test
    void shouldDrawTheEdgeClosingALoopAsABackEdgeBelowEveryBox() {
        Layout layout = FlowLayout.layout(List.of("wait", "check", "done"),
                List.of(edge("wait", "check"), edge("check", "done"), edge("check", "wait"), edge("done", "done")));

        assertThat(layers(layout, "wait", "check", "done")).containsExactly(0, 1, 2);
        Route loop = route(layout, "check", "wait");
        assertThat(loop.back()).isTrue();
        assertThat(route(layout, "done", "done").back()).isTrue();
        assertThat(route(layout, "wait", "check").back()).isFalse();
        double lowestBox = layout.boxes().values().stream().mapToDouble(b -> b.y() + FlowLayout.NODE_HEIGHT).max()
                .orElseThrow();
        assertThat(loop.points().stream().mapToDouble(FlowLayout.Point::y).max().orElseThrow())
                .isGreaterThan(lowestBox).isLessThan(layout.height());
        // the loop ends where it starts from the left: at the target's left side
        assertThat(loop.points().get(loop.points().size() - 1).x()).isEqualTo(layout.boxes().get("wait").x());
    }

    @Test
    void shouldOrderALayerByBarycentreUntilNoEdgesCross() {
        // in the order of discovery, s->c's placeholder sits above a, and a->d crosses it
        Layout layout = FlowLayout.layout(List.of("s", "a", "b", "c", "d"),
                List.of(edge("s", "a"), edge("a", "d"), edge("s", "b"), edge("b", "c"), edge("s", "c")));

        assertThat(layout.crossings()).isZero();
        assertThat(layout.boxes().get("a").y()).isLessThan(layout.boxes().get("b").y());
        assertThat(layout.boxes().get("d").y()).isLessThan(layout.boxes().get("c").y());
    }

    @Test
    void shouldKeepTwoEdgesBetweenTheSameStepsApartAndBoxesFromOverlapping() {
        List<String> nodes = new ArrayList<>(List.of("start", "x", "y", "z", "end"));
        Layout layout = FlowLayout.layout(nodes, List.of(edge("start", "x"), new Edge("start", "y", "choices/0"),
                new Edge("start", "y", "default"), edge("start", "z"), edge("x", "end"), edge("y", "end"),
                edge("z", "end")));

        List<Route> parallel = layout.routes().stream().filter(r -> r.edge().to().equals("y")).toList();
        assertThat(parallel).hasSize(2);
        assertThat(parallel.get(0).points().get(0)).isNotEqualTo(parallel.get(1).points().get(0));
        assertThat(parallel.get(0).points().get(1)).isNotEqualTo(parallel.get(1).points().get(1));
        List<Box> boxes = List.copyOf(layout.boxes().values());
        for (int i = 0; i < boxes.size(); i++) {
            assertThat(boxes.get(i).x() + FlowLayout.NODE_WIDTH).isLessThanOrEqualTo(layout.width());
            assertThat(boxes.get(i).y() + FlowLayout.NODE_HEIGHT).isLessThanOrEqualTo(layout.height());
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(overlap(boxes.get(i), boxes.get(j))).as(boxes.get(i) + " and " + boxes.get(j)).isFalse();
            }
        }
    }

    @Test
    void shouldLayTheSameGraphOutTheSameWay() {
        List<Edge> edges = List.of(edge("s", "a"), edge("a", "d"), edge("s", "b"), edge("b", "c"), edge("s", "c"),
                edge("c", "s"));
        assertThat(FlowLayout.layout(List.of("s", "a", "b", "c", "d"), edges))
                .isEqualTo(FlowLayout.layout(List.of("s", "a", "b", "c", "d"), edges));
    }

    private static Edge edge(String from, String to) {
        return new Edge(from, to, "next");
    }

    private static List<Integer> layers(Layout layout, String... steps) {
        return Arrays.stream(steps).map(s -> layout.boxes().get(s).layer()).toList();
    }

    private static Route route(Layout layout, String from, String to) {
        return layout.routes().stream().filter(r -> r.edge().from().equals(from) && r.edge().to().equals(to))
                .findFirst().orElseThrow();
    }

    private static boolean inside(FlowLayout.Point p, Box box) {
        return p.x() > box.x() && p.x() < box.x() + FlowLayout.NODE_WIDTH && p.y() > box.y()
                && p.y() < box.y() + FlowLayout.NODE_HEIGHT;
    }

    private static boolean overlap(Box a, Box b) {
        return a.x() < b.x() + FlowLayout.NODE_WIDTH && b.x() < a.x() + FlowLayout.NODE_WIDTH
                && a.y() < b.y() + FlowLayout.NODE_HEIGHT && b.y() < a.y() + FlowLayout.NODE_HEIGHT;
    }
}
