package io.journeys.report;

import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The steps and ports of a journey version in the graph's order: by layer of the drawing (longest path from
 * the start, {@link GraphLayers}), breadth first from the start within a layer, each step's ports as written. With a document that is its graph, plus whatever the events show beyond it; without one,
 * the graph the events show, from the steps instances entered at. Either way the order depends on the set of
 * events only, never on the order they came in.
 */
record StepGraph(List<String> steps, List<Port> ports) {

    /** A way out of a step: from, the port's name (null when the events gave none), to. */
    record Port(String from, String branch, String to) {}

    private static final Comparator<Port> OBSERVED = Comparator.comparing(Port::from)
            .thenComparing(Port::branch, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Port::to);

    /**
     * @param definition the journey's document, or null
     * @param entrySteps the steps instances entered at (sorted by the caller or not: they are sorted here)
     * @param seenSteps every step an event named
     * @param seenPorts every port an event took
     */
    static StepGraph of(Journey definition, Collection<String> entrySteps, Collection<String> seenSteps,
            Collection<Port> seenPorts) {
        Map<String, List<Port>> out = new LinkedHashMap<>();
        List<String> starts = new ArrayList<>();
        Set<Port> declared = new LinkedHashSet<>();
        if (definition != null) {
            starts.add(definition.start());
            for (Step step : definition.steps().values()) {
                List<Port> ports = out.computeIfAbsent(step.id(), s -> new ArrayList<>());
                for (Step.Port port : step.ports()) {
                    Port declaredPort = new Port(step.id(), port.name(), port.target());
                    ports.add(declaredPort);
                    declared.add(declaredPort);
                }
            }
        }
        starts.addAll(new TreeSet<>(entrySteps));
        seenPorts.stream().filter(p -> !declared.contains(p)).sorted(OBSERVED)
                .forEach(p -> out.computeIfAbsent(p.from(), s -> new ArrayList<>()).add(p));

        Set<String> order = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        for (String start : starts) {
            if (order.add(start)) {
                queue.add(start);
            }
        }
        while (!queue.isEmpty()) {
            for (Port port : out.getOrDefault(queue.poll(), List.of())) {
                if (order.add(port.to())) {
                    queue.add(port.to());
                }
            }
        }
        // steps no path reaches: the document's in its order, then the rest of what events named
        order.addAll(out.keySet());
        Set<String> rest = new TreeSet<>(seenSteps);
        out.values().forEach(ports -> ports.forEach(p -> rest.add(p.to())));
        order.addAll(rest);

        List<String> steps = byLayer(List.copyOf(order), out);
        List<Port> ports = new ArrayList<>();
        for (String step : steps) {
            ports.addAll(out.getOrDefault(step, List.of()));
        }
        return new StepGraph(steps, List.copyOf(ports));
    }

    /** Steps by their layer in the drawing (so an end step comes last), breadth-first order within a layer. */
    private static List<String> byLayer(List<String> breadthFirst, Map<String, List<Port>> out) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < breadthFirst.size(); i++) {
            index.put(breadthFirst.get(i), i);
        }
        List<Port> all = new ArrayList<>();
        breadthFirst.forEach(step -> all.addAll(out.getOrDefault(step, List.of())));
        int[] from = all.stream().mapToInt(p -> index.get(p.from())).toArray();
        int[] to = all.stream().mapToInt(p -> index.get(p.to())).toArray();
        int[] layer = GraphLayers.of(breadthFirst.size(), from, to).layer();
        List<String> sorted = new ArrayList<>(breadthFirst);
        sorted.sort(Comparator.comparingInt((String step) -> layer[index.get(step)]));
        return List.copyOf(sorted);
    }

    /** The ports into {@code stepId}. */
    List<Port> into(String stepId) {
        return ports.stream().filter(p -> Objects.equals(p.to(), stepId)).toList();
    }
}
