package io.journeys.dsl;

import static java.util.stream.Collectors.toCollection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JourneyParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A valid journey that leaves status, timeZone, reentry and timeout to their defaults. */
    private static final String WELCOME = """
            {
              "id": "welcome",
              "version": 1,
              "entry": {"type": "event", "event": "subscription.created", "when": "event.plan != 'trial'"},
              "exit": [{"event": "unsubscribed"}],
              "start": "send-welcome",
              "steps": {
                "send-welcome":  {"type": "action", "channel": "email", "template": "welcome-1",
                                  "params": {"firstName": "profile.firstName"}, "next": "wait-1d"},
                "wait-1d":       {"type": "wait", "duration": "P1D", "next": "logged-in"},
                "logged-in":     {"type": "condition",
                                  "choices": [{"when": "has(profile.loginCount) && profile.loginCount > 0",
                                               "next": "done"}],
                                  "default": "send-reminder"},
                "send-reminder": {"type": "action", "channel": "push", "template": "reminder", "next": "done"},
                "done":          {"type": "end"}
              }
            }
            """;

    // ---- valid documents ----

    @Test
    void shouldParseAValidJourneyAndApplyTheDefaults() {
        ParseResult result = JourneyParser.parse(WELCOME);

        assertThat(result.problems()).isEmpty();
        assertThat(result.isValid()).isTrue();
        Journey journey = result.journey();
        assertThat(journey.id()).isEqualTo("welcome");
        assertThat(journey.version()).isEqualTo(1);
        assertThat(journey.name()).as("name defaults to the id").isEqualTo("welcome");
        assertThat(journey.status()).isEqualTo(JourneyStatus.LIVE);
        assertThat(journey.timeZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(journey.reentry()).isEqualTo(new Journey.Reentry(true, Duration.ofMinutes(5)));
        assertThat(journey.timeout()).isEqualTo(Duration.ofDays(91));
        assertThat(journey.startAt()).isNull();
        assertThat(journey.endAt()).isNull();
        assertThat(journey.publishedAt()).isNull();
        assertThat(journey.source()).isEqualTo(WELCOME);
    }

    @Test
    void shouldReadEveryStepWithItsFieldsInTheOrderWritten() {
        Journey journey = JourneyParser.parse(WELCOME).journey();

        assertThat(journey.entry()).isEqualTo(new Journey.Entry("subscription.created", "event.plan != 'trial'"));
        assertThat(journey.exits()).containsExactly(new Journey.ExitCriterion("unsubscribed", null));
        assertThat(journey.start()).isEqualTo("send-welcome");
        assertThat(journey.steps()).containsOnlyKeys("send-welcome", "wait-1d", "logged-in", "send-reminder", "done");
        assertThat(journey.steps().keySet())
                .containsExactly("send-welcome", "wait-1d", "logged-in", "send-reminder", "done");
        assertThat(journey.step("send-welcome")).isEqualTo(new Step.Action("send-welcome", Channel.EMAIL, "welcome-1",
                Map.of("firstName", "profile.firstName"), "wait-1d"));
        assertThat(journey.step("wait-1d")).isEqualTo(new Step.Wait("wait-1d", Duration.ofDays(1), null, "logged-in"));
        assertThat(journey.step("logged-in")).isEqualTo(new Step.Condition("logged-in",
                java.util.List.of(new Step.Choice("has(profile.loginCount) && profile.loginCount > 0", "done")),
                "send-reminder"));
        assertThat(journey.step("done")).isEqualTo(new Step.End("done"));
    }

    @Test
    void shouldKeepTheValuesAJourneyGivesInsteadOfTheDefaults() {
        String document = welcome()
                .with("/kind", "\"journey\"")
                .with("/name", "\"Welcome new subscribers\"")
                .with("/status", "\"closed\"")
                .with("/timeZone", "\"Europe/Paris\"")
                .with("/reentry", "{\"allowed\": false, \"waitPeriod\": \"PT1H\"}")
                .with("/timeout", "\"P30D\"")
                .with("/startAt", "\"2026-03-01T09:00:00Z\"")
                .with("/endAt", "\"2026-04-01T09:00:00Z\"")
                .with("/publishedAt", "\"2026-02-15T00:00:00Z\"")
                .json();

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.problems()).isEmpty();
        Journey journey = result.journey();
        assertThat(journey.name()).isEqualTo("Welcome new subscribers");
        assertThat(journey.status()).isEqualTo(JourneyStatus.CLOSED);
        assertThat(journey.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(journey.reentry()).isEqualTo(new Journey.Reentry(false, Duration.ofHours(1)));
        assertThat(journey.timeout()).isEqualTo(Duration.ofDays(30));
        assertThat(journey.startAt()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
        assertThat(journey.endAt()).isEqualTo(Instant.parse("2026-04-01T09:00:00Z"));
        assertThat(journey.publishedAt()).isEqualTo(Instant.parse("2026-02-15T00:00:00Z"));
    }

    @Test
    void shouldAcceptTheSampleWelcomeJourneyShippedInJobs() throws IOException {
        String document = Files.readString(Path.of("jobs/welcome/journey.json"));

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.problems()).isEmpty();
        assertThat(result.journey().timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(result.journey().reentry()).isEqualTo(new Journey.Reentry(false, Duration.ofMinutes(5)));
    }

    @Test
    void shouldAcceptACycleThatPassesThroughAWait() {
        String document = welcome().with("/steps/send-reminder/next", "\"wait-1d\"").json();

        assertThat(JourneyParser.parse(document).problems()).isEmpty();
    }

    // ---- one problem per document, one case (at least) per problem code ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneProblemPerDocument")
    void shouldReportExactlyTheOneProblemOfTheDocumentWithItsCodeAndPointer(Case c) {
        ParseResult result = JourneyParser.parse(c.document());

        assertThat(result.problems())
                .as("problems of %s", c.document())
                .extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(c.code(), c.pointer()));
        assertThat(result.isValid()).isFalse();
        assertThat(result.journey()).isNull();
    }

    @Test
    void shouldHaveACaseForEveryProblemCode() {
        EnumSet<ProblemCode> covered = oneProblemPerDocument().map(Case::code)
                .collect(toCollection(() -> EnumSet.noneOf(ProblemCode.class)));

        assertThat(covered).isEqualTo(EnumSet.allOf(ProblemCode.class));
    }

    static Stream<Case> oneProblemPerDocument() {
        return Stream.of(
                new Case(ProblemCode.INVALID_JSON, "", "text that does not parse",
                        "{\"id\": \"welcome\","),
                new Case(ProblemCode.INVALID_JSON, "", "an array instead of an object",
                        "[" + WELCOME + "]"),
                new Case(ProblemCode.MISSING_FIELD, "/start", "no start",
                        welcome().without("/start").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/send-reminder/next", "an action without next",
                        welcome().without("/steps/send-reminder/next").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/logged-in/choices/0/next", "a choice without next",
                        welcome().without("/steps/logged-in/choices/0/next").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/colour", "a field the format does not define",
                        welcome().with("/colour", "\"red\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/wait-1d/channel", "a field of another step type",
                        welcome().with("/steps/wait-1d/channel", "\"email\"").json()),
                new Case(ProblemCode.WRONG_TYPE, "/name", "a number where a string belongs",
                        welcome().with("/name", "42").json()),
                new Case(ProblemCode.WRONG_TYPE, "/reentry/allowed", "a string where a boolean belongs",
                        welcome().with("/reentry", "{\"allowed\": \"yes\"}").json()),
                new Case(ProblemCode.BAD_ID, "/id", "an id with capitals and punctuation",
                        welcome().with("/id", "\"Welcome!\"").json()),
                new Case(ProblemCode.BAD_VERSION, "/version", "version zero",
                        welcome().with("/version", "0").json()),
                new Case(ProblemCode.BAD_VERSION, "/version", "a fractional version",
                        welcome().with("/version", "1.5").json()),
                new Case(ProblemCode.BAD_STATUS, "/status", "status paused",
                        welcome().with("/status", "\"paused\"").json()),
                new Case(ProblemCode.BAD_DURATION, "/steps/wait-1d/duration", "a wait of one month",
                        welcome().with("/steps/wait-1d/duration", "\"P1M\"").json()),
                new Case(ProblemCode.BAD_INSTANT, "/startAt", "a startAt that is not an instant",
                        welcome().with("/startAt", "\"next monday\"").json()),
                new Case(ProblemCode.BAD_TIME_ZONE, "/timeZone", "an unknown time zone",
                        welcome().with("/timeZone", "\"Mars/Olympus_Mons\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP_TYPE, "/steps/teleport/type", "a step of type teleport",
                        welcome().with("/steps/teleport", "{\"type\": \"teleport\"}").json()),
                new Case(ProblemCode.BAD_STEP_ID, "/steps/hello world", "a step id with a space",
                        welcome().with("/start", "\"hello world\"")
                                .with("/steps/hello world", "{\"type\": \"wait\", \"duration\": \"PT1M\","
                                        + " \"next\": \"send-welcome\"}")
                                .json()),
                new Case(ProblemCode.BAD_STEP_ID, "/steps/intro~11", "a step id with a slash, escaped in the pointer",
                        welcome().with("/start", "\"intro/1\"")
                                .with("/steps/intro~11", "{\"type\": \"wait\", \"duration\": \"PT1M\","
                                        + " \"next\": \"send-welcome\"}")
                                .json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/next", "a next that names no step",
                        welcome().with("/steps/send-reminder/next", "\"dnoe\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/start", "a start that names no step",
                        welcome().with("/start", "\"sned-welcome\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/logged-in/choices/0/next", "a choice that names no step",
                        welcome().with("/steps/logged-in/choices/0/next", "\"dnoe\"").json()),
                new Case(ProblemCode.UNREACHABLE_STEP, "/steps/orphan", "a step nothing leads to",
                        welcome().with("/steps/orphan", "{\"type\": \"end\"}").json()),
                new Case(ProblemCode.NO_END, "/steps", "steps that wait forever without an end",
                        welcome().with("/steps", """
                                {"send-welcome": {"type": "action", "channel": "email", "template": "welcome-1",
                                                  "next": "wait-1d"},
                                 "wait-1d":      {"type": "wait", "duration": "P1D", "next": "send-welcome"}}
                                """).json()),
                new Case(ProblemCode.CYCLE_WITHOUT_WAIT, "/steps/logged-in", "a condition and an action that loop",
                        welcome().with("/steps/send-reminder/next", "\"logged-in\"").json()),
                new Case(ProblemCode.WAIT_NEEDS_ONE, "/steps/wait-1d", "a wait with both duration and until",
                        welcome().with("/steps/wait-1d/until", "\"plusDays(now, 1)\"").json()),
                new Case(ProblemCode.WAIT_NEEDS_ONE, "/steps/wait-1d", "a wait with neither duration nor until",
                        welcome().without("/steps/wait-1d/duration").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/entry/when", "an entry filter that does not parse",
                        welcome().with("/entry/when", "\"event.plan ==\"").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/steps/logged-in/choices/0/when", "a choice returning an int",
                        welcome().with("/steps/logged-in/choices/0/when", "\"dayOfWeek(now)\"").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/steps/send-welcome/params/firstName",
                        "a param naming an undeclared variable",
                        welcome().with("/steps/send-welcome/params/firstName", "\"customer.firstName\"").json()),
                new Case(ProblemCode.UNKNOWN_CHANNEL, "/steps/send-welcome/channel", "channel fax",
                        welcome().with("/steps/send-welcome/channel", "\"fax\"").json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/timeout", "a timeout longer than 91 days",
                        welcome().with("/timeout", "\"P92D\"").json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/steps/wait-1d/duration", "a wait of zero",
                        welcome().with("/steps/wait-1d/duration", "\"PT0S\"").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps/logged-in/choices", "a condition without choices",
                        welcome().with("/steps/logged-in/choices", "[]").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps", "a journey without steps",
                        welcome().with("/steps", "{}").json()),
                new Case(ProblemCode.BAD_ENTRY_TYPE, "/entry/type", "entry type audience",
                        welcome().with("/entry/type", "\"audience\"").json()),
                new Case(ProblemCode.UNKNOWN_KIND, "/kind", "kind action",
                        welcome().with("/kind", "\"action\"").json()));
    }

    // ---- several problems ----

    @Test
    void shouldReportEveryProblemOfADocumentAtOnce() {
        String document = welcome()
                .with("/id", "\"Welcome!\"")
                .with("/version", "-1")
                .with("/timeZone", "\"Nowhere/Land\"")
                .with("/entry/when", "\"event.plan ==\"")
                .with("/steps/send-welcome/channel", "\"fax\"")
                .with("/steps/send-reminder/next", "\"dnoe\"")
                .with("/steps/wait-1d/duration", "\"P1Y\"")
                .json();

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.journey()).isNull();
        assertThat(result.problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.BAD_ID, "/id"),
                        tuple(ProblemCode.BAD_VERSION, "/version"),
                        tuple(ProblemCode.BAD_TIME_ZONE, "/timeZone"),
                        tuple(ProblemCode.BAD_EXPRESSION, "/entry/when"),
                        tuple(ProblemCode.UNKNOWN_CHANNEL, "/steps/send-welcome/channel"),
                        tuple(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/next"),
                        tuple(ProblemCode.BAD_DURATION, "/steps/wait-1d/duration"));
    }

    @Test
    void shouldReportAMissingNextAndTheStepsItCutsOffInsteadOfThrowing() {
        String document = welcome().without("/steps/wait-1d/next").without("/steps/logged-in/default").json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.MISSING_FIELD, "/steps/wait-1d/next"),
                        tuple(ProblemCode.MISSING_FIELD, "/steps/logged-in/default"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/logged-in"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/send-reminder"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/done"));
    }

    @Test
    void shouldPrintAProblemAsCodePointerAndMessage() {
        String document = welcome().with("/steps/send-reminder/next", "\"logged-ni\"").json();

        assertThat(JourneyParser.parse(document).problems())
                .map(Problem::toString)
                .containsExactly("JRN-013 /steps/send-reminder/next: unknown step \"logged-ni\"");
    }

    @Test
    void shouldPrintTheWholeDocumentPointerAsASlash() {
        assertThat(JourneyParser.parse("42").problems())
                .map(Problem::toString)
                .singleElement()
                .asString()
                .startsWith("JRN-001 /: ");
    }

    @Test
    void shouldNeverThrowOnNullsWhereObjectsBelong() {
        String document = welcome()
                .with("/entry", "null")
                .with("/reentry", "null")
                .with("/exit", "[null]")
                .with("/steps/orphan", "null")
                .with("/steps/logged-in/choices", "[null]")
                .json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.WRONG_TYPE, "/entry"),
                        tuple(ProblemCode.WRONG_TYPE, "/reentry"),
                        tuple(ProblemCode.WRONG_TYPE, "/exit/0"),
                        tuple(ProblemCode.WRONG_TYPE, "/steps/orphan"),
                        tuple(ProblemCode.WRONG_TYPE, "/steps/logged-in/choices/0"));
    }

    // ---- durations ----

    @Test
    void shouldReadIsoDurationsOfFixedLength() {
        assertThat(IsoDurations.parse("P1D")).contains(Duration.ofDays(1));
        assertThat(IsoDurations.parse("PT30M")).contains(Duration.ofMinutes(30));
        assertThat(IsoDurations.parse("P1DT2H")).contains(Duration.ofHours(26));
        assertThat(IsoDurations.parse("P2W")).contains(Duration.ofDays(14));
        assertThat(IsoDurations.parse("PT5S")).contains(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"P1M", "P1Y", "P1Y2M", "P2W1M", "garbage", "", "1D", "P", "PT", "P1D2H"})
    void shouldRefuseDurationsWithoutFixedLengthAndGarbage(String text) {
        assertThat(IsoDurations.parse(text)).isEmpty();
    }

    @Test
    void shouldRefuseANullDuration() {
        assertThat(IsoDurations.parse(null)).isEmpty();
    }

    // ---- fixtures ----

    /** One document expected to have exactly one problem. */
    record Case(ProblemCode code, String pointer, String what, String document) {
        @Override
        public String toString() {
            return code.code() + " " + (pointer.isEmpty() ? "/" : pointer) + " for " + what;
        }
    }

    private static Doc welcome() {
        return new Doc((ObjectNode) tree(WELCOME));
    }

    /** An immutable JSON document edited by JSON pointer. */
    private record Doc(ObjectNode root) {

        /** Sets (adds or replaces) the value at {@code pointer} to the JSON text {@code json}. */
        Doc with(String pointer, String json) {
            ObjectNode copy = root.deepCopy();
            JsonPointer at = JsonPointer.compile(pointer);
            ((ObjectNode) parent(copy, at)).set(at.last().getMatchingProperty(), tree(json));
            return new Doc(copy);
        }

        Doc without(String pointer) {
            ObjectNode copy = root.deepCopy();
            JsonPointer at = JsonPointer.compile(pointer);
            ((ObjectNode) parent(copy, at)).remove(at.last().getMatchingProperty());
            return new Doc(copy);
        }

        String json() {
            return root.toPrettyString();
        }

        private static JsonNode parent(ObjectNode root, JsonPointer at) {
            JsonNode parent = root.at(at.head());
            if (parent.isArray()) {
                throw new IllegalArgumentException("Doc edits object fields only, not " + at);
            }
            return parent;
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
