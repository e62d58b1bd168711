package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What no single document can check: loops of jumps (JRN-026), jumps to journeys that are not loaded (JRN-027),
 * calls of actions that are not loaded (JRN-030) and rule sets that are not loaded (JRN-035, through
 * {@link DocumentSet}). {@link JourneyParserTest#shouldHaveACaseForEveryProblemCode} counts these cases.
 */
class JourneySetCheckerTest {

    // ---- each case: the problems of a set, all of one code ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsOfSets")
    void shouldReportTheProblemsOfTheSetWithTheirJourneyVersionAndPointer(SetCase c) {
        List<JourneySetChecker.SetProblem> problems = JourneySetChecker.check(c.journeys(), c.setIsComplete());

        assertThat(problems).extracting(p -> p.problem().code()).containsOnly(c.code());
        assertThat(problems).extracting(JourneySetCheckerTest::located)
                .containsExactlyInAnyOrderElementsOf(c.expected());
    }

    @Test
    void shouldReportCallsOfActionsThatAreNotAmongTheFiles() {
        assertThat(unknownActionProblems()).extracting(JourneySetCheckerTest::located)
                .containsExactly("caller v1 /steps/lookup/action");
    }

    /** The codes the action check reports (for the parser's test that every code has a case). */
    static Stream<ProblemCode> unknownActionCodes() {
        return unknownActionProblems().stream().map(p -> p.problem().code());
    }

    private static List<JourneySetChecker.SetProblem> unknownActionProblems() {
        Journey caller = JourneyParser.parse("""
                {"id": "caller", "version": 1, "entry": {"event": "go"}, "start": "lookup",
                 "steps": {"lookup": {"type": "call", "action": "crm", "next": "known"},
                           "known": {"type": "call", "action": "known-action", "next": "done"},
                           "done": {"type": "end"}}}""").journey();
        return JourneySetChecker.unknownActions(List.of(caller), java.util.Set.of("known-action"));
    }

    // ---- rule sets: a complete set (a simulation) holds every rule set its journeys name ----

    private static final String MARKETING = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}]}""";

    @Test
    void shouldReportAJourneyWhoseRuleSetIsNotInTheSet() {
        DocumentSet set = DocumentSet.parse(List.of(MARKETING, ruled("a", 1, "marketing"), ruled("b", 2, "transactional")),
                JourneyParser.DEFAULT_MAX_STEPS);

        assertThat(set.allValid()).isTrue();
        assertThat(set.ruleSetIds()).containsExactly("marketing");
        assertThat(set.completeSetProblems()).map(JourneySetChecker.SetProblem::toString).containsExactly(
                "b v2: JRN-035 /rules: Expected rule set transactional to be loaded with the journey, but it is not");
    }

    @Test
    void shouldFindARuleSetWhereverItIsInTheSetAndWhicheverOfItsVersions() {
        String marketingV2 = MARKETING.replace("\"version\": 1", "\"version\": 2");
        DocumentSet set = DocumentSet.parse(List.of(ruled("a", 1, "marketing"), marketingV2, ruled("b", 1, null)),
                JourneyParser.DEFAULT_MAX_STEPS);

        assertThat(set.allValid()).isTrue();
        assertThat(set.ruleSets()).extracting(RuleSet::id, RuleSet::version).containsExactly(tuple("marketing", 2));
        assertThat(set.journeys()).extracting(Journey::id).containsExactly("a", "b");
        assertThat(set.completeSetProblems()).isEmpty();
    }

    @Test
    void shouldNotCountARuleSetWithProblemsAsLoaded() {
        DocumentSet set = DocumentSet.parse(List.of(MARKETING.replace("\"max\": 1", "\"max\": 0"),
                ruled("a", 1, "marketing")), JourneyParser.DEFAULT_MAX_STEPS);

        assertThat(set.allValid()).isFalse();
        assertThat(set.entries().get(0).definition().problems()).extracting(p -> p.code().code() + " " + p.pointer())
                .containsExactly("JRN-037 /frequency/0/max");
        assertThat(set.ruleSetIds()).isEmpty();
        assertThat(set.completeSetProblems()).extracting(p -> p.problem().code()).containsExactly(ProblemCode.UNKNOWN_RULES);
    }

    /** The codes a complete set reports for rule sets (for the parser's test that every code has a case). */
    static Stream<ProblemCode> unknownRulesCodes() {
        return DocumentSet.parse(List.of(ruled("a", 1, "ghost")), JourneyParser.DEFAULT_MAX_STEPS)
                .completeSetProblems().stream().map(p -> p.problem().code());
    }

    /** A valid journey document that sends one email under rule set {@code rules} (none when null). */
    private static String ruled(String id, int version, String rules) {
        String document = "{\"id\": \"" + id + "\", \"version\": " + version + ","
                + (rules == null ? "" : " \"rules\": \"" + rules + "\",")
                + " \"entry\": {\"event\": \"go\"}, \"start\": \"send\", \"steps\": {"
                + "\"send\": {\"type\": \"action\", \"channel\": \"email\", \"template\": \"t\", \"next\": \"done\"},"
                + " \"done\": {\"type\": \"end\"}}}";
        assertThat(JourneyParser.parse(document).problems()).as(document).isEmpty();
        return document;
    }

    static Stream<SetCase> problemsOfSets() {
        return Stream.of(
                new SetCase(ProblemCode.JUMP_LOOP, "two journeys that jump to each other", true,
                        List.of(journey("a", 1, "b"), journey("b", 1, "a")),
                        List.of("a v1 /steps/jump-to-b/journey", "b v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.JUMP_LOOP, "a journey that jumps to itself", true,
                        List.of(journey("a", 1, "a")),
                        List.of("a v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.JUMP_LOOP, "three journeys that jump round in a circle", true,
                        List.of(journey("a", 1, "b"), journey("b", 1, "c"), journey("c", 1, "a")),
                        List.of("a v1 /steps/jump-to-b/journey", "b v1 /steps/jump-to-c/journey",
                                "c v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.JUMP_LOOP, "a journey that jumps into a loop it is not part of", true,
                        List.of(journey("x", 1, "a"), journey("a", 1, "b"), journey("b", 1, "a")),
                        List.of("a v1 /steps/jump-to-b/journey", "b v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.JUMP_LOOP, "a loop in a set that is not complete", false,
                        List.of(journey("a", 1, "b"), journey("b", 1, "a")),
                        List.of("a v1 /steps/jump-to-b/journey", "b v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.JUMP_LOOP, "a loop through an older version still loaded", true,
                        List.of(journey("a", 1, "b"), journey("a", 2), journey("b", 1, "a")),
                        List.of("a v1 /steps/jump-to-b/journey", "b v1 /steps/jump-to-a/journey")),
                new SetCase(ProblemCode.UNKNOWN_JOURNEY, "a jump to a journey a complete set does not hold", true,
                        List.of(journey("a", 1, "ghost"), journey("b", 1)),
                        List.of("a v1 /steps/jump-to-ghost/journey")),
                new SetCase(ProblemCode.UNKNOWN_JOURNEY, "jumps of two versions to a journey not loaded", true,
                        List.of(journey("a", 1, "ghost"), journey("a", 2, "b", "ghost"), journey("b", 1)),
                        List.of("a v1 /steps/jump-to-ghost/journey", "a v2 /steps/jump-to-ghost/journey")));
    }

    // ---- sets without problems ----

    @Test
    void shouldAcceptAJumpToAJourneyNotLoadedWhenTheSetIsNotComplete() {
        assertThat(JourneySetChecker.check(List.of(journey("a", 1, "ghost")), false)).isEmpty();
    }

    @Test
    void shouldAcceptJumpsThatNeverComeBack() {
        List<Journey> set = List.of(journey("a", 1, "b", "c"), journey("b", 1, "c"), journey("c", 1));

        assertThat(JourneySetChecker.check(set, true)).isEmpty();
    }

    @Test
    void shouldFindAJourneyByIdWhicheverOfItsVersionsIsLoaded() {
        List<Journey> set = List.of(journey("a", 1, "b"), journey("b", 3));

        assertThat(JourneySetChecker.check(set, true)).isEmpty();
    }

    @Test
    void shouldAcceptASetWithoutJumpsAndAnEmptySet() {
        assertThat(JourneySetChecker.check(List.of(journey("a", 1), journey("b", 1)), true)).isEmpty();
        assertThat(JourneySetChecker.check(List.of(), true)).isEmpty();
    }

    // ---- several problems and their text ----

    @Test
    void shouldReportALoopAndAnUnknownJourneyOfOneJourneyTogether() {
        List<JourneySetChecker.SetProblem> problems = JourneySetChecker.check(List.of(journey("a", 1, "a", "ghost")),
                true);

        assertThat(problems).extracting(p -> p.problem().code() + " " + located(p)).containsExactlyInAnyOrder(
                "JUMP_LOOP a v1 /steps/jump-to-a/journey",
                "UNKNOWN_JOURNEY a v1 /steps/jump-to-ghost/journey");
    }

    @Test
    void shouldPrintASetProblemWithItsJourneyVersionCodePointerAndMessage() {
        assertThat(JourneySetChecker.check(List.of(journey("a", 2, "ghost")), true))
                .map(JourneySetChecker.SetProblem::toString)
                .containsExactly("a v2: JRN-027 /steps/jump-to-ghost/journey: "
                        + "Expected a loaded journey, but \"ghost\" is not one");
    }

    @Test
    void shouldNameTheJourneysOfALoopInItsMessage() {
        List<Journey> set = List.of(journey("a", 1, "b"), journey("b", 1, "c"), journey("c", 1, "a"));

        assertThat(JourneySetChecker.check(set, true))
                .filteredOn(p -> p.journeyId().equals("a"))
                .map(p -> p.problem().message())
                .containsExactly("Expected jumps without a loop, but a -> b -> c -> a loops");
    }

    // ---- fixtures ----

    /** A set of journeys and the problems expected of it, as "journey vN pointer", all of {@code code}. */
    record SetCase(ProblemCode code, String what, boolean setIsComplete, List<Journey> journeys,
            List<String> expected) {
        @Override
        public String toString() {
            return code.code() + " for " + what + (setIsComplete ? "" : " (set not complete)");
        }
    }

    private static String located(JourneySetChecker.SetProblem problem) {
        return problem.journeyId() + " v" + problem.version() + " " + problem.problem().pointer();
    }

    /** A valid journey that jumps to each of {@code jumpsTo} in turn, through steps "jump-to-ID", then ends. */
    static Journey journey(String id, int version, String... jumpsTo) {
        Map<String, String> steps = new LinkedHashMap<>();
        for (int i = 0; i < jumpsTo.length; i++) {
            String next = i + 1 < jumpsTo.length ? "jump-to-" + jumpsTo[i + 1] : "done";
            steps.put("jump-to-" + jumpsTo[i],
                    "{\"type\": \"jump\", \"journey\": \"" + jumpsTo[i] + "\", \"next\": \"" + next + "\"}");
        }
        steps.put("done", "{\"type\": \"end\"}");
        String document = "{\"id\": \"" + id + "\", \"version\": " + version + ", \"entry\": {\"event\": \"go\"},"
                + " \"start\": \"" + steps.keySet().iterator().next() + "\", \"steps\": {"
                + steps.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                        .collect(Collectors.joining(", "))
                + "}}";
        ParseResult result = JourneyParser.parse(document);
        assertThat(result.problems()).as(document).isEmpty();
        return result.journey();
    }
}
