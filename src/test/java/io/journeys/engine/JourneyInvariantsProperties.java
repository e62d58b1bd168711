package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.StepEvent;
import io.journeys.http.CannedCalls;
import io.journeys.testing.Gen;
import io.journeys.testing.PropertyTries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random valid journeys and random event streams, run on the keyed processor (RocksDB) in event time,
 * must keep the engine's invariants: no output after an instance ended, no instance outlives its timeout,
 * at most one live instance per journey and profile, nothing left behind (the harness's leftovers check, once
 * every instance has ended and again at the end), and a replay gives the same outputs whatever the order the
 * inputs arrive in.
 *
 * <p>Each try is the scenario of this property's first version (one journey of actions, waits, conditions,
 * splits, awaits and profile updates, entered by events), drawn exactly as it was, followed by more drawn after
 * it ({@link Gen#followedBy}): call steps with canned answers, cap steps counted in line, jumps to a second
 * generated journey, a third journey entered by the members of audience exports at a rate, and a version of the
 * first journey with status stopped, published while the inputs arrive.
 *
 * <p>60 tries, each a JUnit dynamic test, drawn from one printed seed ({@link PropertyTries}); a failing try
 * names the seed and its number, and {@code mvn test -Dtest=JourneyInvariantsProperties -Djourneys.seed=SEED
 * -Djourneys.try=N} runs it again.
 */
class JourneyInvariantsProperties {

    private static final Instant BEGINNING = Instant.parse("2026-03-01T00:00:00Z");
    private static final Set<String> ENDINGS = Set.of(StepStatus.COMPLETED, StepStatus.EXITED, StepStatus.TIMED_OUT,
            StepStatus.ERROR);
    private static final List<String> EVENT_TYPES = List.of("enter", "react", "other", "leave");
    private static final String MAIN = "generated";
    private static final String TARGET = "target";
    private static final String EXPORTED = "exported";
    private static final String AUDIENCE = "segment";
    private static final String ACTION = """
            {"kind": "action", "id": "crm", "version": 1, "method": "GET", "url": "http://127.0.0.1:9/crm",
             "retries": 0, "timeout": "PT5S"}""";

    /** One step of a generated journey; steps only go forward, so every generated journey is valid. */
    enum StepKind { ACTION, WAIT, CONDITION, SPLIT, AWAIT, UPDATE, CALL, CAP, JUMP, EXPERIMENT }

    /** The kinds of the first version's journeys, in its order (the order is part of the distribution). */
    private static final List<StepKind> FIRST_KINDS = List.of(StepKind.ACTION, StepKind.WAIT, StepKind.CONDITION,
            StepKind.SPLIT, StepKind.AWAIT, StepKind.UPDATE);

    record GeneratedStep(StepKind kind, int minutes, int skip) {}

    record GeneratedInput(int profile, String type, int minute, boolean isUpdate, int value) {}

    /** The scenario of the first version: one journey entered by "enter" events, and the inputs. */
    record Scenario(List<GeneratedStep> steps, int timeoutMinutes, boolean reentryAllowed, boolean exitOnLeave,
            List<GeneratedInput> inputs) {

        String journey() {
            return document(MAIN, 1, "", steps, timeoutMinutes, reentryAllowed, "PT30M",
                    "{\"type\": \"event\", \"event\": \"enter\"}", exitOnLeave);
        }
    }

    /** A call, cap or jump step, put before the main journey's step at {@code position} (or last). */
    record ExtraStep(StepKind kind, int minutes, int position) {}

    /** The shape of another generated journey (the jumps' target, the audience journey). */
    record Shape(List<GeneratedStep> steps, int timeoutMinutes, boolean reentryAllowed) {}

    /** Canned answers of the action "crm": the action's own (or "none": no line, answered "error"), then per profile. */
    record Answers(String action, String p0, String p1, String p2, String p3) {

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            if (!action.equals("none")) {
                lines.add("{\"action\": \"crm\", \"status\": \"" + action + "\"}");
            }
            List<String> byProfile = List.of(p0, p1, p2, p3);
            for (int i = 0; i < byProfile.size(); i++) {
                if (!byProfile.get(i).equals("action's")) {
                    lines.add("{\"action\": \"crm\", \"profileId\": \"p" + i + "\", \"status\": \"" + byProfile.get(i)
                            + "\"}");
                }
            }
            return lines;
        }
    }

    /** An export of the audience: minutes after the previous one (the first: after the beginning), and its members. */
    record Export(int gap, List<Integer> members) {}

    /** A journey entered by the members of the audience's exports, at {@code rate} profiles a second. */
    record AudienceEntries(boolean present, Shape journey, int rate, String recurrence, List<Export> exports) {}

    /** Version 2 of the main journey, stopped from {@code minute}, published after {@code position} inputs. */
    record Stop(boolean present, int minute, int position) {}

    record Extras(List<ExtraStep> steps, Shape target, Answers answers, AudienceEntries audience, Stop stop) {}

    /** A try: the first version's scenario, then what was drawn after it. */
    record Generated(Scenario main, Extras extras) {

        List<GeneratedStep> mainSteps() {
            List<GeneratedStep> steps = new ArrayList<>(main.steps());
            for (ExtraStep extra : extras.steps()) {
                steps.add(Math.min(extra.position(), steps.size()), new GeneratedStep(extra.kind(), extra.minutes(),
                        1 + extra.minutes() % 3));
            }
            return steps;
        }

        /** The window of the main journey's goal: the first experiment step's minutes (see document). */
        int goalWindowMinutes() {
            return mainSteps().stream().filter(step -> step.kind() == StepKind.EXPERIMENT).findFirst()
                    .map(GeneratedStep::minutes).orElse(0);
        }

        boolean has(StepKind kind) {
            return extras.steps().stream().anyMatch(step -> step.kind() == kind);
        }

        boolean audience() {
            return extras.audience().present();
        }

        String mainJourney(int version, String extraFields) {
            return document(MAIN, version, extraFields, mainSteps(), main.timeoutMinutes(), main.reentryAllowed(),
                    "PT30M", "{\"type\": \"event\", \"event\": \"enter\"}", main.exitOnLeave());
        }

        /** Every document loaded when the job starts. */
        List<String> documents() {
            List<String> documents = new ArrayList<>();
            if (!has(StepKind.CALL) && !has(StepKind.CAP) && !has(StepKind.JUMP) && !audience()) {
                documents.add(main.journey()); // the first version's journey, as it was
                return documents;
            }
            documents.add(mainJourney(1, ""));
            if (has(StepKind.CALL)) {
                documents.add(ACTION);
            }
            if (has(StepKind.JUMP)) {
                Shape target = extras.target();
                documents.add(document(TARGET, 1, "", target.steps(), target.timeoutMinutes(), target.reentryAllowed(),
                        "PT30M", "{\"type\": \"event\", \"event\": \"other\"}", main.exitOnLeave()));
            }
            if (audience()) {
                AudienceEntries audience = extras.audience();
                String options = switch (audience.recurrence()) {
                    case "once" -> ", \"recurrence\": \"once\"";
                    case "incremental" -> ", \"incremental\": true";
                    default -> "";
                };
                documents.add(document(EXPORTED, 1, "", audience.journey().steps(), audience.journey().timeoutMinutes(),
                        audience.journey().reentryAllowed(), "PT1M", "{\"type\": \"audience\", \"audience\": \""
                                + AUDIENCE + "\", \"rate\": " + audience.rate() + options + "}", false));
            }
            return documents;
        }

        /** The stopped version, or null. */
        String stoppedVersion() {
            if (!extras.stop().present()) {
                return null;
            }
            return mainJourney(2, "\"status\": \"stopped\", \"publishedAt\": \"" + minute(extras.stop().minute()) + "\",");
        }

        EngineSettings settings() {
            EngineSettings settings = EngineSettings.eventTime(documents());
            return has(StepKind.CALL) || has(StepKind.CAP) || has(StepKind.EXPERIMENT)
                    ? settings.withInlineCalls(CannedCalls.parse(extras.answers().lines())) : settings;
        }

        /** The export minutes, in order: each after the previous one. */
        List<Integer> exportMinutes() {
            List<Integer> minutes = new ArrayList<>();
            int minute = -1;
            for (Export export : extras.audience().exports()) {
                minute = minutes.isEmpty() ? export.gap() : minute + 1 + export.gap();
                minutes.add(minute);
            }
            return minutes;
        }

        /** Every input in the order of its source: the first version's, then the exports' members. */
        List<Object> inputs() {
            List<Object> inputs = new ArrayList<>(main.inputs());
            int window = goalWindowMinutes();
            if (window > 0) {
                // the goal's events come again inside and outside its window, live and after the end
                for (GeneratedInput input : main.inputs()) {
                    if (!input.isUpdate() && input.type().equals("enter")) {
                        for (int later : List.of(1, window / 2, window - 1, window, window + 1)) {
                            for (String type : List.of("enter", "react")) {
                                inputs.add(new GeneratedInput(input.profile(), type, input.minute() + later, false, 0));
                            }
                        }
                    }
                }
            }
            if (audience()) {
                List<Integer> minutes = exportMinutes();
                List<Export> exports = extras.audience().exports();
                for (int k = 0; k < exports.size(); k++) {
                    for (int profile : new LinkedHashSet<>(exports.get(k).members())) { // once in an export
                        inputs.add(new Member(profile, k, minutes.get(k)));
                    }
                }
            }
            return inputs;
        }

        Map<String, Integer> timeoutsByJourney() {
            Map<String, Integer> timeouts = new HashMap<>();
            timeouts.put(MAIN, main.timeoutMinutes());
            timeouts.put(TARGET, extras.target().timeoutMinutes());
            timeouts.put(EXPORTED, extras.audience().journey().timeoutMinutes());
            return timeouts;
        }

        /** Whether a profile's entry into the journey is remembered for ever. */
        boolean onceEver(String journeyId) {
            return switch (journeyId) {
                case MAIN -> !main.reentryAllowed();
                case TARGET -> !extras.target().reentryAllowed();
                default -> !extras.audience().journey().reentryAllowed() || extras.audience().recurrence().equals("once");
            };
        }

        /** An instant by which every instance has ended: the last input, then every journey's timeout, in turn. */
        Instant everyInstanceEnded() {
            int last = inputs().stream().filter(GeneratedInput.class::isInstance).map(GeneratedInput.class::cast)
                    .mapToInt(GeneratedInput::minute).max().orElse(0);
            if (audience()) {
                last = Math.max(last, exportMinutes().get(exportMinutes().size() - 1));
            }
            return minute(last + main.timeoutMinutes() + extras.target().timeoutMinutes()
                    + extras.audience().journey().timeoutMinutes() + 2);
        }
    }

    /** A member of the k-th export. */
    record Member(int profile, int export, int minute) {}

    static String document(String id, int version, String extraFields, List<GeneratedStep> generatedSteps,
            int timeoutMinutes, boolean reentryAllowed, String waitPeriod, String entry, boolean exitOnLeave) {
        StringBuilder steps = new StringBuilder();
        int count = generatedSteps.size();
        for (int i = 0; i < count; i++) {
            GeneratedStep step = generatedSteps.get(i);
            String next = target(i + 1, count);
            String later = target(Math.min(count, i + 1 + step.skip()), count);
            steps.append('"').append("s").append(i).append("\": ").append(switch (step.kind()) {
                case ACTION -> "{\"type\": \"action\", \"channel\": \"email\", \"template\": \"t" + i
                        + "\", \"params\": {\"n\": \"has(profile.n) ? profile.n : -1\"}, \"next\": \"" + next + "\"}";
                case WAIT -> "{\"type\": \"wait\", \"duration\": \"PT" + step.minutes() + "M\", \"next\": \"" + next + "\"}";
                case CONDITION -> "{\"type\": \"condition\", \"choices\": [{\"when\": \"has(profile.n) && profile.n > "
                        + step.minutes() % 5 + "\", \"next\": \"" + later + "\"}], \"default\": \"" + next + "\"}";
                case SPLIT -> "{\"type\": \"split\", \"branches\": [{\"percent\": 40, \"next\": \"" + next
                        + "\"}, {\"percent\": 60, \"next\": \"" + later + "\"}]}";
                case AWAIT -> "{\"type\": \"await\", \"timeout\": \"PT" + step.minutes() + "M\", \"onTimeout\": \""
                        + later + "\", \"events\": [{\"event\": \"react\", \"next\": \"" + next + "\"}]}";
                case UPDATE -> "{\"type\": \"updateProfile\", \"set\": {\"n\": \"has(profile.n) ? profile.n + 1 : 1\"},"
                        + " \"next\": \"" + next + "\"}";
                // without onError (onTimeout) a failed (timed-out) call ends the instance with an error
                case CALL -> "{\"type\": \"call\", \"action\": \"crm\", \"params\": {\"n\": \"has(profile.n) ? profile.n"
                        + " : 0\"}, \"next\": \"" + next + "\""
                        + (step.minutes() % 2 == 0 ? ", \"onError\": \"" + later + "\"" : "")
                        + (step.minutes() / 2 % 2 == 0 ? ", \"onTimeout\": \"" + later + "\"" : "") + "}";
                case CAP -> "{\"type\": \"cap\", \"limit\": " + (1 + step.minutes() % 3) + ", \"next\": \"" + next
                        + "\", \"overflow\": \"" + later + "\"}";
                case JUMP -> "{\"type\": \"jump\", \"journey\": \"" + TARGET + "\", \"next\": \"" + next + "\"}";
                case EXPERIMENT -> "{\"type\": \"experiment\", \"goal\": \"g\", \"arms\": [{\"id\": \"a\", \"percent\": 50,"
                        + " \"next\": \"" + next + "\"}, {\"id\": \"b\", \"percent\": 50, \"next\": \"" + later
                        + "\", \"control\": true}]}";
            }).append(",\n");
        }
        // an experiment measures a goal within the first experiment step's minutes of entry: "react", or "enter",
        // which also re-enters the journey once the instance has ended
        String goals = generatedSteps.stream().filter(step -> step.kind() == StepKind.EXPERIMENT).findFirst()
                .map(step -> "\"goals\": [{\"id\": \"g\", \"event\": \"" + (step.minutes() % 3 == 0 ? "react" : "enter")
                        + "\", \"within\": \"PT" + step.minutes() + "M\"" + (step.minutes() % 2 == 0 ? ", \"exit\": true" : "")
                        + "}],")
                .orElse("");
        steps.append("\"end\": {\"type\": \"end\"}");
        return """
                {"id": "%s", "version": %d, %s "timeout": "PT%dM",
                 "reentry": {"allowed": %s, "waitPeriod": "%s"},
                 "entry": %s,
                 %s %s
                 "start": "%s",
                 "steps": {%s}}""".formatted(id, version, extraFields, timeoutMinutes, reentryAllowed, waitPeriod, entry,
                exitOnLeave ? "\"exit\": [{\"event\": \"leave\"}]," : "", goals, target(0, count), steps);
    }

    private static String target(int index, int count) {
        return index >= count ? "end" : "s" + index;
    }

    private static Instant minute(int minute) {
        return BEGINNING.plus(Duration.ofMinutes(minute));
    }

    private static final int TRIES = 60;

    /** One step of the first version's journeys. */
    private static Gen<GeneratedStep> firstStep() {
        return Gen.combine(Gen.of(FIRST_KINDS), Gen.integers(1, 300), Gen.integers(1, 3), GeneratedStep::new);
    }

    /**
     * The scenarios of this property's first version, drawn with jqwik's default distributions and edge cases
     * (see {@link Gen}): one try in three or so is an edge case, a one-step journey with one profile update.
     */
    static Gen<Scenario> scenarios() {
        Gen<GeneratedInput> input = Gen.combine(
                Gen.integers(0, 3), Gen.of(EVENT_TYPES), Gen.integers(0, 600), Gen.of(true, false, false, false),
                Gen.integers(0, 6), GeneratedInput::new);
        return Gen.combine(firstStep().list(1, 7), Gen.integers(30, 600), Gen.of(true, false), Gen.of(true, false),
                input.list(1, 30), Scenario::new);
    }

    /**
     * What is drawn after the first version's scenario; its first edge case (the one edge cases of the tries get)
     * adds nothing: no extra step, no audience journey, no stopped version.
     */
    static Gen<Extras> extras() {
        Gen<ExtraStep> extraStep = Gen.combine(Gen.of(StepKind.CALL, StepKind.CAP, StepKind.JUMP, StepKind.EXPERIMENT),
                Gen.integers(1, 300),
                Gen.integers(0, 7), ExtraStep::new);
        Gen<Shape> shape = Gen.combine(firstStep().list(1, 4), Gen.integers(30, 600), Gen.of(true, false), Shape::new);
        List<String> byProfile = List.of("action's", "http_200", "http_500", "timedout");
        Gen<Answers> answers = Gen.combine(Gen.of(List.of("http_200", "http_500", "timedout", "none")),
                Gen.of(byProfile), Gen.of(byProfile), Gen.of(byProfile), Gen.of(byProfile), Answers::new);
        Gen<Export> export = Gen.combine(Gen.integers(0, 300), Gen.integers(0, 3).list(1, 4), Export::new);
        Gen<AudienceEntries> audience = Gen.combine(Gen.of(false, true), shape, Gen.integers(1, 4),
                Gen.of("every-export", "incremental", "once"), export.list(1, 3), AudienceEntries::new);
        Gen<Stop> stop = Gen.combine(Gen.of(false, true), Gen.integers(0, 600), Gen.integers(0, 30), Stop::new);
        return Gen.combine(extraStep.list(0, 3), shape, answers, audience, stop, Extras::new);
    }

    static Gen<Generated> generated() {
        return scenarios().followedBy(extras(), Generated::new);
    }

    @TestFactory
    Stream<DynamicTest> shouldKeepTheEngineInvariants() {
        return PropertyTries.check("JourneyInvariantsProperties.shouldKeepTheEngineInvariants", TRIES, generated(),
                JourneyInvariantsProperties::checkInvariants);
    }

    /**
     * The replay of scenarios whose outcome depends on the order of profiles at one instant: caps admit, and
     * paced audience entries take their slots, in the order the profiles' inputs of that instant were handled,
     * which is the order their inputs arrived in (Flink fires the timers of one instant across keys in no fixed
     * order), so an unsorted replay does not give the same result as a sorted one.
     */
    @TestFactory
    @Disabled("issue 14: at one instant, caps and paced audience entries take profiles in the order their inputs"
            + " arrived, so a replay in another order admits and paces other profiles")
    Stream<DynamicTest> shouldGiveTheSameOutputsWhateverTheOrderOfProfilesAtOneInstant() {
        return PropertyTries.check("JourneyInvariantsProperties.shouldGiveTheSameOutputsWhateverTheOrderOfProfilesAtOneInstant",
                TRIES, generated(), generated -> {
                    Run run = run(generated, generated.inputs(), null);
                    Run replay = run(generated, reversed(generated.inputs()), null);
                    assertThat(replay.actionIds()).as("a replay gives the same action requests").isEqualTo(run.actionIds());
                    assertThat(replay.stepIds()).as("a replay gives the same step events").isEqualTo(run.stepIds());
                });
    }

    private static void checkInvariants(Generated generated) throws Exception {
        Run run = run(generated, generated.inputs(), generated.everyInstanceEnded());
        String journeys = String.join("\n", generated.documents());
        Map<String, Integer> timeouts = generated.timeoutsByJourney();

        Map<String, String> endedBy = new HashMap<>();
        Map<String, Long> enteredAt = new HashMap<>();
        Map<String, Integer> liveByProfileAndJourney = new HashMap<>();
        Set<String> conversions = new HashSet<>();
        for (Object output : run.outputsInOrder()) {
            String instanceId = output instanceof StepEvent s ? s.getInstanceId() : ((ActionRequest) output).getInstanceId();
            if (output instanceof StepEvent step && step.getStatus().equals(StepStatus.CONVERTED)) {
                // a conversion may come after the end, once per instance and goal, within the goal's window
                assertThat(conversions.add(instanceId + "/" + step.getGoal())).as("conversions of %s on %s", instanceId,
                        step.getGoal()).isTrue();
                assertThat(step.getStepId() == null).as("a conversion names no step once the instance has ended")
                        .isEqualTo(endedBy.containsKey(instanceId));
                assertThat(step.getTimestamp() - enteredAt.get(instanceId)).as("conversion of %s within its window",
                        instanceId).isLessThan(Duration.ofMinutes(generated.goalWindowMinutes()).toMillis());
                continue;
            }
            assertThat(endedBy).as("no output after instance %s ended, in %s", instanceId, journeys)
                    .doesNotContainKey(instanceId);
            if (output instanceof StepEvent step) {
                String liveKey = step.getProfileId() + "/" + step.getJourneyId();
                if (step.getStatus().equals(StepStatus.ENTERED)) {
                    enteredAt.put(instanceId, step.getTimestamp());
                    int live = liveByProfileAndJourney.merge(liveKey, 1, Integer::sum);
                    assertThat(live).as("live instances of %s for %s", step.getJourneyId(), step.getProfileId())
                            .isEqualTo(1);
                }
                if (ENDINGS.contains(step.getStatus())) {
                    endedBy.put(instanceId, step.getStatus());
                    liveByProfileAndJourney.merge(liveKey, -1, Integer::sum);
                    assertThat(step.getTimestamp() - enteredAt.get(instanceId))
                            .as("instance %s outlived its timeout", instanceId)
                            .isLessThanOrEqualTo(Duration.ofMinutes(timeouts.get(step.getJourneyId())).toMillis());
                }
            }
        }
        assertThat(endedBy.keySet()).as("every instance ended").isEqualTo(enteredAt.keySet());
        assertThat(run.timers()).as("timers left").isZero();
        assertThat(run.stateEntries()).as("state left").isEqualTo(expectedStateLeft(generated, run));
        assertThat(run.leftovers()).as("what is left behind, once every instance has ended and at the end").isEmpty();

        // the same inputs arriving in another order (each keeps its position in its source, as a file's
        // line numbers do; inputs of equal timestamp are handled in that order)
        Run replay = run(generated, reversed(generated.inputs()), null);
        if (dependsOnTheOrderOfProfilesAtOneInstant(generated, run, replay)) {
            return; // see shouldGiveTheSameOutputsWhateverTheOrderOfProfilesAtOneInstant
        }
        assertThat(replay.actionIds()).as("a replay gives the same action requests").isEqualTo(run.actionIds());
        assertThat(replay.stepIds()).as("a replay gives the same step events").isEqualTo(run.stepIds());
    }

    private static List<Object> reversed(List<Object> inputs) {
        List<Object> reversed = new ArrayList<>(inputs);
        Collections.reverse(reversed);
        return reversed;
    }

    /**
     * Whether two profiles reached a cap step at the same instant, in either run, or two members of one export
     * entered a paced journey: which of them the cap admits, or which takes the first slot, is the order their
     * inputs were handled in.
     */
    private static boolean dependsOnTheOrderOfProfilesAtOneInstant(Generated generated, Run run, Run replay) {
        if (generated.audience() && generated.extras().audience().exports().stream()
                .anyMatch(export -> new HashSet<>(export.members()).size() > 1)) {
            return true;
        }
        Set<String> capSteps = new HashSet<>();
        List<GeneratedStep> steps = generated.mainSteps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == StepKind.CAP) {
                capSteps.add("s" + i);
            }
        }
        for (Run r : List.of(run, replay)) {
            Map<String, Set<String>> profilesByCapInstant = new HashMap<>();
            r.steps().stream().filter(s -> s.getJourneyId().equals(MAIN) && capSteps.contains(s.getStepId())
                            && s.getStatus().equals(StepStatus.EXECUTED))
                    .forEach(s -> profilesByCapInstant.computeIfAbsent(s.getStepId() + "@" + s.getTimestamp(),
                            k -> new HashSet<>()).add(s.getProfileId()));
            if (profilesByCapInstant.values().stream().anyMatch(profiles -> profiles.size() > 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Profiles keep their attributes, the last export they were a member of, and the fact that they entered
     * a once-ever journey (one record per profile holds them all).
     */
    private static int expectedStateLeft(Generated generated, Run run) {
        return expectedLeftovers(generated, run).size();
    }

    /** What each profile keeps once every instance has ended; the others keep nothing. */
    private static List<Kept> expectedLeftovers(Generated generated, Run run) {
        Map<String, Kept> kept = new TreeMap<>();
        generated.main().inputs().stream().filter(GeneratedInput::isUpdate)
                .forEach(i -> keep(kept, "p" + i.profile()).someAttributes());
        run.profileWriters().forEach(profileId -> keep(kept, profileId).someAttributes());
        run.entered().forEach((journeyId, profiles) -> {
            if (generated.onceEver(journeyId)) {
                profiles.forEach(profileId -> keep(kept, profileId).onceEverEntry(journeyId));
            }
        });
        Map<String, String> lastExports = new TreeMap<>();
        for (Object input : generated.inputs()) {
            if (input instanceof Member member) {
                lastExports.merge("p" + member.profile(), "x" + member.export(),
                        (a, b) -> Integer.parseInt(a.substring(1)) > Integer.parseInt(b.substring(1)) ? a : b);
            }
        }
        lastExports.forEach((profileId, exportId) -> keep(kept, profileId).lastExport(AUDIENCE, exportId));
        return List.copyOf(kept.values());
    }

    private static Kept keep(Map<String, Kept> kept, String profileId) {
        // expired event ids and entries stay in a record that keeps anything else until it is next written
        return kept.computeIfAbsent(profileId, id -> Kept.profile(id).anyExpiredUntilNextWrite());
    }

    record Run(List<Object> outputsInOrder, List<StepEvent> steps, List<String> actionIds, List<String> stepIds,
            int timers, int stateEntries, Map<String, Set<String>> entered, Set<String> profileWriters,
            List<String> leftovers) {}

    /**
     * Runs the inputs in this order; when {@code everyInstanceEnded} is given, checks what is left behind at that
     * instant and at the end.
     */
    private static Run run(Generated generated, List<Object> inputs, Instant everyInstanceEnded) throws Exception {
        List<Object> sourceOrder = generated.inputs();
        try (ProcessorHarness h = ProcessorHarness.with(generated.settings())) {
            for (int i = 0; i < inputs.size(); i++) {
                if (generated.extras().stop().present() && i == Math.min(generated.extras().stop().position(), inputs.size())) {
                    // in event time the inputs wait for the watermark: the version takes effect at its publishedAt
                    h.publish(generated.stoppedVersion());
                }
                Object input = inputs.get(i);
                long position = sourceOrder.indexOf(input) + 1;
                if (input instanceof GeneratedInput event) {
                    Instant at = minute(event.minute());
                    String profileId = "p" + event.profile();
                    if (event.isUpdate()) {
                        h.profileAt(position, profileId, at, "{\"n\": " + event.value() + "}");
                    } else {
                        // ids derive from content, so the same stream in another order gives the same ids
                        h.eventAt(position, profileId + "-" + event.type() + "-" + event.minute(), profileId,
                                event.type(), at, "{}", null);
                    }
                } else {
                    Member member = (Member) input;
                    h.memberAt(position, "p" + member.profile(), AUDIENCE, "x" + member.export(),
                            member.export() == 0 ? null : "x" + (member.export() - 1), minute(member.minute()), "{}");
                }
            }
            if (generated.extras().stop().present() && generated.extras().stop().position() >= inputs.size()) {
                h.publish(generated.stoppedVersion());
            }
            List<String> leftovers = new ArrayList<>();
            if (everyInstanceEnded != null) {
                h.watermark(everyInstanceEnded);
                leftovers.addAll(leftovers(h, generated));
            }
            h.untilTheEnd();
            if (everyInstanceEnded != null) {
                leftovers.addAll(leftovers(h, generated));
            }
            List<Object> outputs = new ArrayList<>();
            // the harness keeps main and side outputs apart; their order within an instance is the emission order
            List<StepEvent> steps = h.steps();
            List<ActionRequest> actions = h.actions();
            outputs.addAll(mergeByInstanceOrder(steps, actions));
            Map<String, Set<String>> entered = new TreeMap<>();
            steps.stream().filter(s -> s.getStatus().equals(StepStatus.ENTERED))
                    .forEach(s -> entered.computeIfAbsent(s.getJourneyId(), j -> new TreeSet<>()).add(s.getProfileId()));
            Set<String> writers = new HashSet<>();
            h.profileWrites().forEach(w -> writers.add(w.getProfileId()));
            return new Run(outputs, steps, actions.stream().map(ActionRequest::getRequestId).sorted().toList(),
                    steps.stream().map(StepEvent::getEventId).sorted().toList(), h.timers(), h.stateEntries(), entered,
                    writers, leftovers);
        }
    }

    /** What the harness's leftovers check finds wrong, now, given the outputs so far. */
    private static List<String> leftovers(ProcessorHarness h, Generated generated) throws Exception {
        Set<String> writers = new HashSet<>();
        h.profileWrites().forEach(w -> writers.add(w.getProfileId()));
        Map<String, Set<String>> entered = new TreeMap<>();
        h.steps().stream().filter(s -> s.getStatus().equals(StepStatus.ENTERED))
                .forEach(s -> entered.computeIfAbsent(s.getJourneyId(), j -> new TreeSet<>()).add(s.getProfileId()));
        Run sofar = new Run(List.of(), List.of(), List.of(), List.of(), 0, 0, entered, writers, List.of());
        Map<String, Kept> expected = new TreeMap<>();
        expectedLeftovers(generated, sofar).forEach(kept -> expected.put(kept.profileId, kept));
        Set<String> profiles = new TreeSet<>(h.profilesWithAnythingLeft());
        profiles.addAll(expected.keySet());
        List<String> failures = new ArrayList<>();
        for (String profileId : profiles) {
            failures.addAll(h.failures(expected.getOrDefault(profileId, Kept.profile(profileId)), h.leftBehind(profileId)));
        }
        return failures.stream().map(failure -> "at " + h.nowText() + ": " + failure).toList();
    }

    /**
     * Puts each action right after the step event of the step that sent it (the engine emits the action,
     * then the step's "executed" event, or "error" when a call's answer fails it), keeping the step events' order.
     */
    private static List<Object> mergeByInstanceOrder(List<StepEvent> steps, List<ActionRequest> actions) {
        Map<String, ActionRequest> byStepVisit = new HashMap<>();
        for (ActionRequest action : actions) {
            byStepVisit.put(action.getInstanceId() + "/" + action.getStepId() + "@" + action.getTimestamp(), action);
        }
        List<Object> merged = new ArrayList<>();
        for (StepEvent step : steps) {
            ActionRequest action = byStepVisit.remove(step.getInstanceId() + "/" + step.getStepId() + "@" + step.getTimestamp());
            if (action != null && (step.getStatus().equals(StepStatus.EXECUTED)
                    || step.getStatus().equals(StepStatus.ERROR) && action.getCall() != null)) {
                merged.add(action);
            } else if (action != null) {
                byStepVisit.put(action.getInstanceId() + "/" + action.getStepId() + "@" + action.getTimestamp(), action);
            }
            merged.add(step);
        }
        assertThat(byStepVisit).as("every action belongs to a step that ran").isEmpty();
        return merged;
    }
}
