package io.journeys.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges a chaos run once it has drained, from what a downstream consumer saw (read committed) and what the
 * generator and the HTTP service recorded: each invariant held or not, with every figure it rests on. Pure: it
 * reads an {@link Observations} and nothing else, so that a test can feed it a broken run.
 */
final class ChaosOracle {

    /** Everything a run leaves to judge. */
    record Observations(List<JsonNode> actions, List<JsonNode> steps, List<JsonNode> results,
            List<JsonNode> deadLetters, Map<String, ChaosGenerator.Intent> intents, Set<String> clicked,
            Set<String> upgraded, Map<String, Integer> httpRequests, Map<String, Integer> httpApplied, int cap,
            int openTransactions, Map<String, String> failedCommits, List<ChaosFaults.Struck> faults,
            Instant drainedAt) {}

    /** One invariant: whether it held, and the figures that say so. */
    record Check(String invariant, boolean held, String figures) {}

    record Verdict(List<String> figures, List<Check> checks) {
        boolean passed() {
            return checks.stream().allMatch(Check::held);
        }

        List<Check> failed() {
            return checks.stream().filter(check -> !check.held()).toList();
        }

        void print(PrintWriter out) {
            out.println("figures:");
            figures.forEach(figure -> out.println("  " + figure));
            out.println("invariants:");
            for (Check check : checks) {
                out.printf("  [%s] %s: %s%n", check.held() ? "held" : "FAILED", check.invariant(), check.figures());
            }
            out.println(passed() ? "every invariant held" : failed().size() + " invariant(s) FAILED");
            out.flush();
        }
    }

    private static final Set<String> TERMINAL = Set.of("completed", "exited", "error");

    private ChaosOracle() {}

    static Verdict judge(Observations run) {
        List<String> figures = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        Map<String, List<JsonNode>> stepsByInstance = run.steps().stream()
                .collect(Collectors.groupingBy(s -> s.get("instanceId").asText()));
        Map<String, JsonNode> entered = new HashMap<>();
        Map<String, Instant> ended = new HashMap<>();
        for (JsonNode step : run.steps()) {
            String status = step.get("status").asText();
            if (status.equals("entered")) {
                entered.put(step.get("instanceId").asText(), step);
            }
            if (TERMINAL.contains(status)) {
                ended.merge(step.get("instanceId").asText(), instant(step), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        figures.add("profiles " + run.intents().size() + ", action requests " + run.actions().size() + ", step events "
                + run.steps().size() + ", action results " + run.results().size() + ", dead letters "
                + run.deadLetters().size());
        figures.add("action requests by template " + new TreeMap<>(count(run.actions(), a -> a.get("template").asText())));
        figures.add("step events by status " + new TreeMap<>(count(run.steps(), s -> s.get("status").asText())));
        figures.add("instances entered by journey and version " + new TreeMap<>(entered.values().stream()
                .collect(Collectors.groupingBy(s -> s.get("journeyId").asText() + " v" + s.get("journeyVersion").asInt(),
                        Collectors.counting()))));

        // every request id of every action request at most once
        Map<String, Long> requestIds = count(run.actions(), a -> a.get("requestId").asText());
        long duplicateRequests = requestIds.values().stream().filter(n -> n > 1).count();
        long extraCopies = requestIds.values().stream().mapToLong(n -> n - 1).sum();
        checks.add(new Check("every request id at most once", duplicateRequests == 0, "distinct request ids "
                + requestIds.size() + ", duplicated " + duplicateRequests + " (" + extraCopies + " extra copies)"
                + examples(requestIds, n -> n > 1)));
        Map<String, Long> stepIds = count(run.steps(), s -> s.get("eventId").asText());
        long duplicateSteps = stepIds.values().stream().filter(n -> n > 1).count();
        checks.add(new Check("every step event at most once", duplicateSteps == 0, "distinct step events "
                + stepIds.size() + ", duplicated " + duplicateSteps + examples(stepIds, n -> n > 1)));

        // no step event lost: each instance's trail runs from its entry, each event at the step the one before
        // led to (the same step while it waits), to at most one end, with nothing after it. A transaction lost
        // takes out actions and step events alike; the trails show it
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> trail : stepsByInstance.entrySet()) {
            String problem = brokenTrail(trail.getValue());
            if (problem != null) {
                broken.add(trail.getKey() + ": " + problem);
            }
        }
        checks.add(new Check("every instance's trail of step events whole", broken.isEmpty(), "instances "
                + stepsByInstance.size() + ", broken trails " + broken.size() + few(broken)));

        // every expected action exactly once: each action step the step events say ran has one request, no more
        Set<String> expected = new HashSet<>();
        for (JsonNode step : run.steps()) {
            if (ChaosJourneys.ACTION_STEPS.contains(step.get("stepId").asText()) && sent(step)) {
                expected.add(step.get("instanceId").asText() + "/" + step.get("stepId").asText());
            }
        }
        Map<String, Long> actual = count(run.actions(), a -> a.get("instanceId").asText() + "/" + a.get("stepId").asText());
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(actual.keySet());
        Set<String> unexpected = new HashSet<>(actual.keySet());
        unexpected.removeAll(expected);
        long repeated = actual.values().stream().filter(n -> n > 1).count();
        checks.add(new Check("every expected action exactly once", missing.isEmpty() && unexpected.isEmpty()
                && repeated == 0, "expected " + expected.size() + ", missing " + missing.size() + few(missing)
                + ", unexpected " + unexpected.size() + few(unexpected) + ", sent more than once " + repeated));

        // no action after its instance ended
        long late = 0;
        long orphans = 0;
        for (JsonNode action : run.actions()) {
            String instance = action.get("instanceId").asText();
            if (!entered.containsKey(instance)) {
                orphans++;
            } else if (ended.containsKey(instance) && instant(action).isAfter(ended.get(instance))) {
                late++;
            }
        }
        long exited = run.steps().stream().filter(s -> s.get("status").asText().equals("exited")).count();
        checks.add(new Check("no action after its instance ended", late == 0 && orphans == 0, "instances ended "
                + ended.size() + " (exited " + exited + ", quits sent " + run.intents().values().stream()
                .filter(ChaosGenerator.Intent::quits).count() + "), actions after the end " + late
                + ", actions of no instance " + orphans));

        // every wait and await resolved: every instance ended, but for sends scheduled after the run
        long parked = 0;
        List<String> unresolved = new ArrayList<>();
        for (String instance : entered.keySet()) {
            if (ended.containsKey(instance)) {
                continue;
            }
            JsonNode last = stepsByInstance.get(instance).get(stepsByInstance.get(instance).size() - 1);
            if (last.has("sendAt") && Instant.parse(last.get("sendAt").asText()).isAfter(run.drainedAt())) {
                parked++;
            } else {
                unresolved.add(instance + " at " + last.get("stepId").asText() + " " + last.get("status").asText());
            }
        }
        long waits = run.steps().stream().filter(s -> s.get("status").asText().equals("waiting")).count();
        checks.add(new Check("every wait and await resolved", unresolved.isEmpty(), "waiting events " + waits
                + ", instances not ended " + (unresolved.size() + parked) + ", of which parked on a send time after the "
                + "run " + parked + few(unresolved)));

        // each started profile entered once; the entry filter kept the trial profiles out
        Map<String, Long> onboardEntries = entered.values().stream()
                .filter(s -> s.get("journeyId").asText().equals(ChaosJourneys.ONBOARD))
                .collect(Collectors.groupingBy(s -> s.get("profileId").asText(), Collectors.counting()));
        long trialsIn = run.intents().values().stream().filter(i -> i.plan().equals("trial"))
                .filter(i -> onboardEntries.containsKey(i.profile())).count();
        long notEntered = run.intents().values().stream().filter(i -> !i.plan().equals("trial"))
                .filter(i -> onboardEntries.getOrDefault(i.profile(), 0L) != 1).count();
        checks.add(new Check("every started profile entered once, no trial profile", trialsIn == 0 && notEntered == 0,
                "started " + run.intents().size() + ", entered " + onboardEntries.size() + ", trial profiles entered "
                + trialsIn + ", others not entered exactly once " + notEntered));

        // each HTTP call applied once per key
        Set<String> callKeys = run.actions().stream().filter(a -> a.get("stepId").asText().equals("lookup"))
                .map(a -> a.get("requestId").asText()).collect(Collectors.toSet());
        Set<String> erred = run.steps().stream().filter(s -> s.get("stepId").asText().equals("lookup")
                && "onError".equals(text(s, "branch"))).map(s -> s.get("instanceId").asText()).collect(Collectors.toSet());
        long repeatedEffects = run.httpApplied().values().stream().filter(n -> n > 1).count();
        long effects = run.httpApplied().values().stream().mapToLong(Integer::longValue).sum();
        long attempts = run.httpRequests().values().stream().mapToLong(Integer::longValue).sum();
        long unknownKeys = run.httpApplied().keySet().stream().filter(key -> !callKeys.contains(key)).count();
        long neverApplied = run.actions().stream().filter(a -> a.get("stepId").asText().equals("lookup"))
                .filter(a -> !run.httpApplied().containsKey(a.get("requestId").asText())
                        && !erred.contains(a.get("instanceId").asText())).count();
        checks.add(new Check("each HTTP call applied once per key", repeatedEffects == 0 && unknownKeys == 0
                && neverApplied == 0, "calls " + callKeys.size() + ", attempts received " + attempts + ", keys applied "
                + run.httpApplied().size() + ", effects " + effects + ", keys applied more than once " + repeatedEffects
                + ", keys of no call " + unknownKeys + ", calls answered but never applied " + neverApplied
                + ", calls that took onError " + erred.size()));

        // caps never exceeded: admissions per journey version
        Map<String, Long> admitted = new TreeMap<>(run.steps().stream().filter(s -> s.get("stepId").asText().equals("gate")
                && "next".equals(text(s, "branch"))).collect(Collectors.groupingBy(s -> "v" + s.get("journeyVersion").asInt(),
                        Collectors.counting())));
        long overflowed = run.steps().stream().filter(s -> s.get("stepId").asText().equals("gate")
                && "overflow".equals(text(s, "branch"))).count();
        checks.add(new Check("caps never exceeded", admitted.values().stream().allMatch(n -> n <= run.cap()),
                "limit " + run.cap() + " per version, admitted " + admitted + ", overflowed " + overflowed));

        // frequency rules never exceeded: one SMS a profile a day
        Map<String, Long> smsPerProfileDay = run.actions().stream().filter(a -> a.get("channel").asText().equals("sms"))
                .collect(Collectors.groupingBy(a -> a.get("profileId").asText() + "@"
                        + instant(a).atZone(ZoneOffset.UTC).toLocalDate(), Collectors.counting()));
        long overCap = smsPerProfileDay.values().stream().filter(n -> n > 1).count();
        long skipped = run.steps().stream().filter(s -> "RUL-001".equals(text(s, "errorCode"))).count();
        checks.add(new Check("frequency rules never exceeded", overCap == 0, "SMS sent " + run.actions().stream()
                .filter(a -> a.get("channel").asText().equals("sms")).count() + " to " + smsPerProfileDay.size()
                + " profile-days, profile-days over 1 " + overCap + ", sends skipped by the cap (RUL-001) " + skipped));

        // experiment: one assignment per instance. The journeys take the arm at once and the counter only counts
        // (its counts are keyed state, not output); answers on action-results come only from instances of earlier
        // releases, printed
        List<JsonNode> armEvents = run.steps().stream()
                .filter(s -> s.get("stepId").asText().equals("farewell") && s.hasNonNull("arm")).toList();
        Map<String, Long> armsBySteps = new TreeMap<>(count(armEvents, s -> s.get("arm").asText()));
        long assignedTwice = count(armEvents, s -> s.get("instanceId").asText()).values().stream()
                .filter(n -> n > 1).count();
        long answers = run.results().stream().filter(r -> r.has("data")
                && "assigned".equals(text(r.get("data"), "status"))).count();
        checks.add(new Check("experiment: one assignment per instance", assignedTwice == 0,
                "arms by step events " + armsBySteps + ", instances assigned twice " + assignedTwice
                        + ", assignments answered on action-results " + answers));

        // conversions equal to what the step events imply (and the generator sent)
        Map<String, Long> conversions = count(run.steps().stream().filter(s -> s.get("status").asText().equals("converted"))
                .toList(), s -> s.get("instanceId").asText());
        long convertedTwice = conversions.values().stream().filter(n -> n > 1).count();
        Set<String> convertedProfiles = run.steps().stream().filter(s -> s.get("status").asText().equals("converted"))
                .map(s -> s.get("profileId").asText()).collect(Collectors.toSet());
        checks.add(new Check("conversions equal what the step events imply", convertedTwice == 0
                && convertedProfiles.equals(run.upgraded()), "upgrades sent " + run.upgraded().size()
                + ", instances converted " + conversions.size() + ", converted twice " + convertedTwice
                + ", by arm " + new TreeMap<>(count(run.steps().stream().filter(s -> s.get("status").asText()
                .equals("converted")).toList(), s -> armOf(stepsByInstance.get(s.get("instanceId").asText()))))));

        // the awaits: every promotion had a click; the clicks that came after the timeout took it
        Set<String> promoted = run.steps().stream().filter(s -> s.get("stepId").asText().equals("react")
                && "events/0".equals(text(s, "branch"))).map(s -> s.get("instanceId").asText()).collect(Collectors.toSet());
        Set<String> clickedInstances = run.actions().stream().filter(a -> run.clicked().contains(a.get("requestId").asText()))
                .map(a -> a.get("instanceId").asText()).collect(Collectors.toSet());
        long promotedUnclicked = promoted.stream().filter(i -> !clickedInstances.contains(i)).count();
        long timedOut = run.steps().stream().filter(s -> s.get("stepId").asText().equals("react")
                && "onTimeout".equals(text(s, "branch"))).count();
        checks.add(new Check("awaits resumed only by their own click", promotedUnclicked == 0, "clicks sent "
                + run.clicked().size() + ", promoted by a click " + promoted.size() + ", promoted without one "
                + promotedUnclicked + ", timed out " + timedOut));

        checks.add(new Check("no transaction left open", run.openTransactions() == 0, "open transactions after the job "
                + "stopped " + run.openTransactions()));
        // the sink's own count, checked against the brokers: a commit logged as failed whose transaction the
        // brokers hold as committed lost nothing (a recovered attempt committing again what was committed)
        long aborted = run.failedCommits().values().stream().filter(state -> !"CompleteCommit".equalsIgnoreCase(
                String.valueOf(state).replace("_", ""))).count();
        checks.add(new Check("the Kafka sinks' failed commits zero (no transaction lost)", aborted == 0,
                "failed commits logged " + run.failedCommits().size() + ", of which the brokers hold committed "
                + (run.failedCommits().size() - aborted) + " and not committed " + aborted
                + (aborted == 0 ? "" : " " + run.failedCommits().entrySet().stream()
                        .filter(e -> !"CompleteCommit".equalsIgnoreCase(String.valueOf(e.getValue()).replace("_", "")))
                        .limit(5).toList())
                + (run.failedCommits().isEmpty() || aborted > 0 ? "" : " (false alarms of WatchedKafkaSink)")));
        checks.add(new Check("no dead letter", run.deadLetters().isEmpty(), "dead letters " + run.deadLetters().size()
                + (run.deadLetters().isEmpty() ? "" : " e.g. " + run.deadLetters().get(0))));

        List<String> recoveries = new ArrayList<>();
        boolean allRecovered = true;
        for (ChaosFaults.Struck struck : run.faults()) {
            if (struck.fault().kind() == ChaosSchedule.Kind.REPUBLISH) {
                continue;
            }
            allRecovered &= struck.toProgress() != null;
            recoveries.add(struck.fault().kind() + " " + seconds(struck.toRunning()) + "/" + seconds(struck.toProgress()));
        }
        figures.add("faults struck " + run.faults().size() + ": " + run.faults().stream()
                .collect(Collectors.groupingBy(f -> f.fault().kind(), TreeMap::new, Collectors.counting())));
        checks.add(new Check("the job recovered after every fault", allRecovered, "to RUNNING / to output again: "
                + String.join(", ", recoveries)));
        return new Verdict(figures, checks);
    }

    /**
     * Whether a step event at an action step says its request went out: a call's when it waits for the answer,
     * an action's when it ran (or, held for its send time, resumed), not when skipped or held.
     */
    private static boolean sent(JsonNode step) {
        String status = step.get("status").asText();
        if (step.get("stepId").asText().equals("lookup")) {
            return status.equals("waiting");
        }
        return status.equals("executed") || status.equals("resumed");
    }

    /** What is wrong with one instance's step events in the order the topic holds them, or null. */
    static String brokenTrail(List<JsonNode> events) {
        List<JsonNode> trail = events.stream().filter(e -> !e.get("status").asText().equals("converted")).toList();
        if (trail.isEmpty()) {
            return "conversions only";
        }
        if (!trail.get(0).get("status").asText().equals("entered")) {
            return "starts with " + trail.get(0).get("stepId").asText() + " " + trail.get(0).get("status").asText();
        }
        for (int i = 1; i < trail.size(); i++) {
            JsonNode before = trail.get(i - 1);
            JsonNode step = trail.get(i);
            if (TERMINAL.contains(before.get("status").asText())) {
                return "an event after its end: " + step.get("stepId").asText() + " " + step.get("status").asText();
            }
            String expected = before.hasNonNull("next") ? before.get("next").asText() : before.get("stepId").asText();
            if (!step.get("stepId").asText().equals(expected)) {
                return "after " + before.get("stepId").asText() + " " + before.get("status").asText() + " comes "
                        + step.get("stepId").asText() + " " + step.get("status").asText() + ", not " + expected;
            }
        }
        return null;
    }

    private static String armOf(List<JsonNode> steps) {
        return steps.stream().filter(s -> s.hasNonNull("arm")).map(s -> s.get("arm").asText()).findFirst().orElse("?");
    }

    private static Instant instant(JsonNode record) {
        return Instant.parse(record.get("timestamp").asText());
    }

    private static String text(JsonNode node, String field) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static <T> Map<String, Long> count(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    private static String examples(Map<String, Long> counts, java.util.function.LongPredicate which) {
        List<String> some = counts.entrySet().stream().filter(e -> which.test(e.getValue())).limit(3)
                .map(e -> e.getKey() + " x" + e.getValue()).toList();
        return some.isEmpty() ? "" : " e.g. " + some;
    }

    private static String few(java.util.Collection<String> items) {
        return items.isEmpty() ? "" : " e.g. " + items.stream().sorted().limit(3).toList();
    }

    static String seconds(Duration duration) {
        return duration == null ? "never" : String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
