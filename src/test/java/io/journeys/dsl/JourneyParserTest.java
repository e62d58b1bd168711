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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
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

    /** A valid journey with one step of each newer type: split, await, updateProfile, jump. */
    private static final String REACT = """
            {
              "id": "react",
              "version": 1,
              "entry": {"event": "signed.up"},
              "start": "split",
              "steps": {
                "split":  {"type": "split", "branches": [{"percent": 50, "next": "send"},
                                                         {"percent": 50, "next": "update"}]},
                "send":   {"type": "action", "channel": "email", "template": "hello", "next": "await"},
                "await":  {"type": "await",
                           "events": [{"event": "email.opened", "when": "event.campaign == 'hello'", "to": "send",
                                       "next": "update"},
                                      {"event": "unsubscribed", "next": "done"}],
                           "timeout": "P2D", "onTimeout": "jump"},
                "update": {"type": "updateProfile", "set": {"engaged": "true"}, "next": "jump"},
                "jump":   {"type": "jump", "journey": "follow-up", "next": "done"},
                "done":   {"type": "end"}
              }
            }
            """;

    /** A valid journey with two goals and an experiment of two arms and a holdout on one of them. */
    private static final String CART = """
            {
              "id": "cart",
              "version": 1,
              "entry": {"event": "cart.added"},
              "goals": [{"id": "purchased", "event": "order.placed",
                         "when": "event.cartId == journey.entry.data.cartId", "within": "P7D", "exit": true},
                        {"id": "clicked", "event": "email.clicked", "within": "P2D"}],
              "start": "test",
              "steps": {
                "test": {"type": "experiment", "goal": "purchased",
                         "arms": [{"id": "email", "percent": 45, "next": "send"},
                                  {"id": "push", "percent": 45.5, "next": "push"},
                                  {"id": "holdout", "percent": 9.5, "next": "done", "control": true}],
                         "winner": {"after": "P3D", "confidence": 0.95, "minPerArm": 500}},
                "send": {"type": "action", "channel": "email", "template": "cart-reminder", "next": "done"},
                "push": {"type": "action", "channel": "push", "template": "cart-reminder", "next": "done"},
                "done": {"type": "end"}
              }
            }
            """;

    /** A valid journey with a step of every type, each with every way out it can have, all to different steps. */
    private static final String EVERY_PORT = """
            {
              "id": "ports",
              "version": 1,
              "entry": {"event": "signed.up"},
              "goals": [{"id": "bought", "event": "order.placed", "within": "P7D"}],
              "start": "send",
              "steps": {
                "send":   {"type": "action", "channel": "email", "template": "hello", "next": "check", "onError": "done"},
                "check":  {"type": "condition",
                           "choices": [{"when": "profile.vip == true", "next": "wait"},
                                       {"when": "profile.age > 18", "next": "split"}],
                           "default": "await", "onError": "done"},
                "wait":   {"type": "wait", "duration": "P1D", "next": "split", "onError": "done"},
                "split":  {"type": "split", "branches": [{"percent": 50, "next": "await"},
                                                         {"percent": 50, "next": "update"}]},
                "await":  {"type": "await", "events": [{"event": "email.opened", "next": "update"},
                                                       {"event": "email.clicked", "next": "jump"}],
                           "timeout": "P2D", "onTimeout": "call", "onError": "done"},
                "update": {"type": "updateProfile", "set": {"engaged": "true"}, "next": "jump", "onError": "done"},
                "jump":   {"type": "jump", "journey": "follow-up", "next": "call"},
                "call":   {"type": "call", "action": "crm-lookup", "next": "cap", "onError": "done", "onTimeout": "test"},
                "cap":    {"type": "cap", "limit": 100, "next": "test", "overflow": "done"},
                "test":   {"type": "experiment", "goal": "bought",
                           "arms": [{"id": "a", "percent": 50, "next": "done"}, {"id": "b", "percent": 50, "next": "window"}]},
                "window": {"type": "window", "from": "09:00", "to": "17:00", "next": "finish"},
                "done":   {"type": "end"},
                "finish": {"type": "end"}
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
        assertThat(journey.useProfileTimeZone()).isFalse();
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
                Map.of("firstName", "profile.firstName"), "wait-1d", null));
        assertThat(journey.step("wait-1d")).isEqualTo(new Step.Wait("wait-1d", Duration.ofDays(1), null, "logged-in", null));
        assertThat(journey.step("logged-in")).isEqualTo(new Step.Condition("logged-in",
                java.util.List.of(new Step.Choice("has(profile.loginCount) && profile.loginCount > 0", "done")),
                "send-reminder", null));
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
                .with("/useProfileTimeZone", "true")
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
        assertThat(journey.useProfileTimeZone()).isTrue();
    }

    @Test
    void shouldAcceptAZeroWaitPeriodForReenteringAtOnce() {
        String document = welcome().with("/reentry", "{\"allowed\": true, \"waitPeriod\": \"PT0S\"}").json();

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.problems()).isEmpty();
        assertThat(result.journey().reentry()).isEqualTo(new Journey.Reentry(true, Duration.ZERO));
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

    // ---- delivery rules: the rule set, the priority, transactional actions and the window step ----

    @Test
    void shouldLeaveAJourneyWithoutRulesAtTheDefaultPriorityWithEveryActionRuled() {
        Journey journey = JourneyParser.parse(WELCOME).journey();

        assertThat(journey.rules()).isNull();
        assertThat(journey.priority()).isEqualTo(Journey.DEFAULT_PRIORITY).isEqualTo(50);
        assertThat(List.of(journey.step("send-welcome"), journey.step("send-reminder")))
                .extracting(step -> ((Step.Action) step).ruled())
                .containsOnly(true);
    }

    @Test
    void shouldReadTheRuleSetThePriorityAndATransactionalAction() {
        ParseResult result = JourneyParser.parse(welcome()
                .with("/rules", "\"marketing\"")
                .with("/priority", "100")
                .with("/steps/send-welcome/rules", "false")
                .with("/steps/send-reminder/rules", "true")
                .json());

        assertThat(result.problems()).isEmpty();
        Journey journey = result.journey();
        assertThat(journey.rules()).isEqualTo("marketing");
        assertThat(journey.priority()).isEqualTo(100);
        assertThat(((Step.Action) journey.step("send-welcome")).ruled()).isFalse();
        assertThat(((Step.Action) journey.step("send-reminder")).ruled()).isTrue();
        assertThat(JourneyParser.parse(welcome().with("/priority", "0").json()).journey().priority()).isZero();
    }

    @Test
    void shouldReadAWindowStepOnEveryDayInTheProfilesZoneByDefault() {
        ParseResult result = JourneyParser.parse(office().without("/steps/office-hours/days").json());

        assertThat(result.problems()).isEmpty();
        Step.Window window = (Step.Window) result.journey().step("office-hours");
        assertThat(window).isEqualTo(new Step.Window("office-hours",
                new WeeklyPeriod(EnumSet.allOf(DayOfWeek.class), LocalTime.of(9, 0), LocalTime.of(17, 0)),
                ZoneChoice.PROFILE, "done"));
        assertThat(window.type()).isEqualTo(StepType.WINDOW);
        assertThat(window.period().crossesMidnight()).isFalse();
        assertThat(window.ports()).containsExactly(port("next", "done"));
    }

    @Test
    void shouldReadAWindowsDaysItsZoneAndAPeriodThatCrossesMidnight() {
        ParseResult result = JourneyParser.parse(office()
                .with("/steps/office-hours/days", "[6, 5]")
                .with("/steps/office-hours/from", "\"21:00\"")
                .with("/steps/office-hours/to", "\"08:00\"")
                .with("/steps/office-hours/timeZone", "\"Europe/Paris\"")
                .json());

        assertThat(result.problems()).isEmpty();
        Step.Window window = (Step.Window) result.journey().step("office-hours");
        assertThat(window.period()).isEqualTo(new WeeklyPeriod(EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY),
                LocalTime.of(21, 0), LocalTime.of(8, 0)));
        assertThat(window.period().crossesMidnight()).isTrue();
        assertThat(window.timeZone()).isEqualTo(new ZoneChoice(ZoneId.of("Europe/Paris")));
    }

    @Test
    void shouldReportEveryProblemOfAWindowStepAtOnce() {
        String document = office()
                .with("/steps/office-hours/days", "[0, 3, 3]")
                .with("/steps/office-hours/from", "\"9am\"")
                .without("/steps/office-hours/to")
                .with("/steps/office-hours/timeZone", "\"Office/Local\"")
                .json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.BAD_CLOCK, "/steps/office-hours/days/0"),
                        tuple(ProblemCode.BAD_CLOCK, "/steps/office-hours/days/2"),
                        tuple(ProblemCode.BAD_CLOCK, "/steps/office-hours/from"),
                        tuple(ProblemCode.MISSING_FIELD, "/steps/office-hours/to"),
                        tuple(ProblemCode.BAD_TIME_ZONE, "/steps/office-hours/timeZone"));
    }

    // ---- split, await, updateProfile, jump and onError ----

    @Test
    void shouldReadEachNewerStepTypeIntoItsRecord() {
        ParseResult result = JourneyParser.parse(REACT);

        assertThat(result.problems()).isEmpty();
        Journey journey = result.journey();
        assertThat(journey.step("split")).isEqualTo(new Step.Split("split",
                List.of(new Step.Branch(50, "send"), new Step.Branch(50, "update"))));
        assertThat(journey.step("await")).isEqualTo(new Step.Await("await", List.of(
                new Step.Reaction("email.opened", "event.campaign == 'hello'", "send", "update"),
                new Step.Reaction("unsubscribed", null, null, "done")), Duration.ofDays(2), "jump", null));
        assertThat(journey.step("update")).isEqualTo(new Step.UpdateProfile("update", Map.of("engaged", "true"),
                "jump", null));
        assertThat(journey.step("jump")).isEqualTo(new Step.Jump("jump", "follow-up", "done"));
        assertThat(journey.steps().values()).extracting(Step::type).containsExactly(StepType.SPLIT,
                StepType.ACTION, StepType.AWAIT, StepType.UPDATE_PROFILE, StepType.JUMP, StepType.END);
    }

    @Test
    void shouldListTheTargetsOfEachNewerStepInTheOrderWritten() {
        Journey journey = JourneyParser.parse(react().with("/steps/await/onError", "\"done\"").json()).journey();

        assertThat(journey.step("split").targets()).containsExactly("send", "update");
        assertThat(journey.step("await").targets()).containsExactly("update", "done", "jump", "done");
        assertThat(journey.step("update").targets()).containsExactly("jump");
        assertThat(journey.step("jump").targets()).containsExactly("done");
    }

    @Test
    void shouldReadOnErrorOnEveryStepTypeThatTakesIt() {
        Journey welcome = JourneyParser.parse(welcome()
                .with("/steps/send-welcome/onError", "\"done\"")
                .with("/steps/logged-in/onError", "\"done\"")
                .with("/steps/wait-1d/onError", "\"done\"")
                .json()).journey();
        Journey react = JourneyParser.parse(react()
                .with("/steps/await/onError", "\"done\"")
                .with("/steps/update/onError", "\"done\"")
                .json()).journey();

        assertThat(List.of(welcome.step("send-welcome"), welcome.step("logged-in"), welcome.step("wait-1d"),
                        react.step("await"), react.step("update")))
                .allSatisfy(step -> {
                    assertThat(step.onError()).as(step.id()).isEqualTo("done");
                    assertThat(step.targets()).as(step.id()).endsWith("done");
                });
        assertThat(List.of(react.step("split"), react.step("jump"), react.step("done"), react.step("send")))
                .extracting(Step::onError)
                .containsOnlyNulls();
    }

    @Test
    void shouldAcceptSplitPercentsWithTwoDecimalsThatSumTo100() {
        String document = react().with("/steps/split/branches", """
                [{"percent": 33.33, "next": "send"}, {"percent": 33.33, "next": "update"},
                 {"percent": 33.34, "next": "jump"}]""").json();

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.problems()).isEmpty();
        assertThat(((Step.Split) result.journey().step("split")).branches())
                .extracting(Step.Branch::percent)
                .containsExactly(33.33, 33.33, 33.34);
    }

    @Test
    void shouldRefuseSplitPercentsWithMoreThanTwoDecimalsEvenWhenTheySumTo100() {
        String document = react().with("/steps/split/branches", """
                [{"percent": 50.005, "next": "send"}, {"percent": 49.995, "next": "update"}]""").json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.BAD_SPLIT, "/steps/split/branches/0/percent"),
                        tuple(ProblemCode.BAD_SPLIT, "/steps/split/branches/1/percent"));
    }

    @Test
    void shouldAcceptACycleThatPassesThroughAnAwait() {
        String document = react().with("/steps/update/next", "\"await\"").json();

        assertThat(JourneyParser.parse(document).problems()).isEmpty();
    }

    @Test
    void shouldCountAnOnErrorTargetForReachability() {
        Doc withFailedStep = welcome().with("/steps/failed", "{\"type\": \"end\"}");

        assertThat(JourneyParser.parse(withFailedStep.json()).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.UNREACHABLE_STEP, "/steps/failed"));
        assertThat(JourneyParser.parse(withFailedStep.with("/steps/wait-1d/onError", "\"failed\"").json())
                .problems()).isEmpty();
    }

    @Test
    void shouldLeaveJumpTargetsToTheSetCheckerEvenAJumpToItself() {
        String document = react().with("/steps/jump/journey", "\"react\"").json();

        assertThat(JourneyParser.parse(document).problems()).isEmpty();
    }

    @Test
    void shouldAcceptExactlyAsManyStepsAsTheGuardRailAllows() {
        assertThat(JourneyParser.parse(WELCOME, 5).problems()).isEmpty();
        assertThat(JourneyParser.parse(WELCOME, 4).problems())
                .map(Problem::toString)
                .containsExactly("JRN-028 /steps: Expected at most 4 steps, but found 5");
    }

    // ---- goals and experiments ----

    @Test
    void shouldReadGoalsAndAnExperimentWithItsArmsAndWinnerRule() {
        ParseResult result = JourneyParser.parse(CART);

        assertThat(result.problems()).isEmpty();
        Journey journey = result.journey();
        assertThat(journey.goals()).containsExactly(
                new Journey.Goal("purchased", "order.placed", "event.cartId == journey.entry.data.cartId",
                        Duration.ofDays(7), true),
                new Journey.Goal("clicked", "email.clicked", null, Duration.ofDays(2), false));
        assertThat(journey.goal("clicked").within()).isEqualTo(Duration.ofDays(2));
        assertThat(journey.goal("bought")).isNull();
        Step.Experiment experiment = (Step.Experiment) journey.step("test");
        assertThat(experiment).isEqualTo(new Step.Experiment("test", "purchased", List.of(
                        new Step.Arm("email", 45, "send", false),
                        new Step.Arm("push", 45.5, "push", false),
                        new Step.Arm("holdout", 9.5, "done", true)),
                new Step.Winner(Duration.ofDays(3), 0.95, 500)));
        assertThat(experiment.type()).isEqualTo(StepType.EXPERIMENT);
        assertThat(experiment.arm("push").next()).isEqualTo("push");
        assertThat(experiment.arm("sms")).isNull();
        assertThat(experiment.onError()).isNull();
    }

    @Test
    void shouldLeaveGoalsEmptyAndTheWinnerRuleOutWhenAJourneyHasNone() {
        Journey welcome = JourneyParser.parse(WELCOME).journey();
        Journey cart = JourneyParser.parse(cart().without("/steps/test/winner").json()).journey();

        assertThat(welcome.goals()).isEmpty();
        assertThat(((Step.Experiment) cart.step("test")).winner()).isNull();
    }

    @Test
    void shouldTypeCheckAGoalFilterThatComparesTheArrivingEventWithTheEntryEvent() {
        // journey is declared as a map of dyn values: journey.entry.data.cartId type-checks as any field of it would
        String goalWhen = "event.cartId == journey.entry.data.cartId && journey.entry.type == 'cart.added'"
                + " && journey.entry.time < eventTime";

        assertThat(JourneyParser.parse(cart().with("/goals/0/when", text(goalWhen)).json()).problems()).isEmpty();
        assertThat(JourneyParser.parse(cart().with("/goals/0/when", text("cart.id == journey.entry.data.cartId"))
                        .json()).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.BAD_EXPRESSION, "/goals/0/when"));
    }

    @Test
    void shouldNameEveryPortOfEveryStepTypeInTheOrderOfTheFormat() {
        Journey journey = JourneyParser.parse(EVERY_PORT).journey();

        assertThat(journey.steps().values()).extracting(Step::type).containsAll(EnumSet.allOf(StepType.class));
        Map<String, List<Step.Port>> expected = Map.ofEntries(
                Map.entry("send", List.of(port("next", "check"), port("onError", "done"))),
                Map.entry("check", List.of(port("choices/0", "wait"), port("choices/1", "split"),
                        port("default", "await"), port("onError", "done"))),
                Map.entry("wait", List.of(port("next", "split"), port("onError", "done"))),
                Map.entry("split", List.of(port("branches/0", "await"), port("branches/1", "update"))),
                Map.entry("await", List.of(port("events/0", "update"), port("events/1", "jump"),
                        port("onTimeout", "call"), port("onError", "done"))),
                Map.entry("update", List.of(port("next", "jump"), port("onError", "done"))),
                Map.entry("jump", List.of(port("next", "call"))),
                Map.entry("call", List.of(port("next", "cap"), port("onError", "done"), port("onTimeout", "test"))),
                Map.entry("cap", List.of(port("next", "test"), port("overflow", "done"))),
                Map.entry("test", List.of(port("arms/0", "done"), port("arms/1", "window"))),
                Map.entry("window", List.of(port("next", "finish"))),
                Map.entry("done", List.of()),
                Map.entry("finish", List.of()));
        assertThat(journey.steps().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((id, ports) -> {
            assertThat(journey.step(id).ports()).as(id).containsExactlyElementsOf(ports);
            assertThat(journey.step(id).targets()).as(id).containsExactlyElementsOf(
                    ports.stream().map(Step.Port::target).toList());
        });
    }

    @Test
    void shouldNameEachPortByThePointerOfItsFieldWithinTheStep() {
        Journey journey = JourneyParser.parse(EVERY_PORT).journey();
        JsonNode steps = tree(EVERY_PORT).get("steps");

        for (Step step : journey.steps().values()) {
            for (Step.Port port : step.ports()) {
                JsonNode field = steps.get(step.id()).at("/" + port.name());
                JsonNode target = field.isObject() ? field.get("next") : field; // choices/0 is a choice: its next
                assertThat(target.asText()).as("%s %s", step.id(), port.name()).isEqualTo(port.target());
            }
        }
    }

    @Test
    void shouldLeaveOutThePortsWhoseFieldIsAbsent() {
        Journey journey = JourneyParser.parse(EVERY_PORT.replace(", \"onError\": \"done\"", "")
                .replace(", \"onTimeout\": \"test\"", "")).journey();

        assertThat(journey.step("send").ports()).containsExactly(port("next", "check"));
        assertThat(journey.step("check").ports()).extracting(Step.Port::name)
                .containsExactly("choices/0", "choices/1", "default");
        assertThat(journey.step("call").ports()).containsExactly(port("next", "cap"));
    }

    private static Step.Port port(String name, String target) {
        return new Step.Port(name, target);
    }

    // ---- one problem per document, one case (at least) per problem code ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneProblemPerDocument")
    void shouldReportExactlyTheOneProblemOfTheDocumentWithItsCodeAndPointer(Case c) {
        ParseResult result = JourneyParser.parse(c.document(), c.maxSteps());

        assertThat(result.problems())
                .as("problems of %s", c.document())
                .extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(c.code(), c.pointer()));
        assertThat(result.isValid()).isFalse();
        assertThat(result.journey()).isNull();
    }

    /** Codes only {@link JourneySetChecker} reports: a single document cannot show them. */
    private static final EnumSet<ProblemCode> SET_CODES = EnumSet.of(ProblemCode.JUMP_LOOP, ProblemCode.UNKNOWN_JOURNEY,
            ProblemCode.UNKNOWN_ACTION, ProblemCode.UNKNOWN_RULES);

    @Test
    void shouldHaveACaseForEveryProblemCode() {
        EnumSet<ProblemCode> covered = Stream.of(
                        oneProblemPerDocument().map(Case::code),
                        JourneySetCheckerTest.problemsOfSets().map(JourneySetCheckerTest.SetCase::code),
                        JourneySetCheckerTest.unknownActionCodes(),
                        JourneySetCheckerTest.unknownRulesCodes(),
                        ActionParserTest.codesShown(),
                        RulesParserTest.codesShown())
                .flatMap(codes -> codes)
                .collect(toCollection(() -> EnumSet.noneOf(ProblemCode.class)));

        assertThat(covered).isEqualTo(EnumSet.allOf(ProblemCode.class));
    }

    @Test
    void shouldLeaveTheSetCodesToTheSetCheckerAndTheRestToTheParser() {
        assertThat(oneProblemPerDocument().map(Case::code)).doesNotContainAnyElementsOf(SET_CODES);
        assertThat(JourneySetCheckerTest.problemsOfSets().map(JourneySetCheckerTest.SetCase::code))
                .isNotEmpty()
                .allMatch(SET_CODES::contains);
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
                new Case(ProblemCode.WAIT_NEEDS_ONE, "/steps/wait-1d", "a wait with both duration and sendTime",
                        welcome().with("/steps/wait-1d/sendTime", "{\"within\": \"PT24H\"}").json()),
                new Case(ProblemCode.BAD_SEND_TIME, "/steps/send-welcome/sendTime/optimize", "a sendTime optimizing replies",
                        welcome().with("/steps/send-welcome/sendTime", "{\"optimize\": \"replies\", \"within\": \"PT24H\"}").json()),
                new Case(ProblemCode.BAD_SEND_TIME, "/steps/send-welcome/sendTime/within", "a sendTime within an hour",
                        welcome().with("/steps/send-welcome/sendTime", "{\"within\": \"PT1H\"}").json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/steps/send-welcome/sendTime/within", "a sendTime within 8 days",
                        welcome().with("/steps/send-welcome/sendTime", "{\"within\": \"P8D\"}").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/send-welcome/sendTime/channel", "an action's sendTime naming a channel",
                        welcome().with("/steps/send-welcome/sendTime", "{\"within\": \"PT24H\", \"channel\": \"push\"}").json()),
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
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/reentry/waitPeriod", "a negative wait period",
                        welcome().with("/reentry", "{\"waitPeriod\": \"-PT5M\"}").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps/logged-in/choices", "a condition without choices",
                        welcome().with("/steps/logged-in/choices", "[]").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps", "a journey without steps",
                        welcome().with("/steps", "{}").json()),
                new Case(ProblemCode.BAD_ENTRY_TYPE, "/entry/type", "entry type audience",
                        welcome().with("/entry/type", "\"segment\"").json()),
                new Case(ProblemCode.UNKNOWN_KIND, "/kind", "kind action",
                        welcome().with("/kind", "\"action\"").json()),
                // ---- split, await, updateProfile, jump, onError, useProfileTimeZone, guard rail ----
                new Case(ProblemCode.BAD_SPLIT, "/steps/split/branches/0/percent", "a branch of zero percent",
                        react().with("/steps/split/branches", """
                                [{"percent": 0, "next": "send"}, {"percent": 100, "next": "update"}]""").json()),
                new Case(ProblemCode.BAD_SPLIT, "/steps/split/branches", "percents that sum to 90",
                        react().with("/steps/split/branches/1/percent", "40").json()),
                new Case(ProblemCode.NOT_AN_ACTION, "/steps/await/events/0/to", "a reaction to an updateProfile step",
                        react().with("/steps/await/events/0/to", "\"update\"").json()),
                new Case(ProblemCode.TOO_MANY_STEPS, "/steps", "five steps where the guard rail allows four",
                        WELCOME, 4),
                new Case(ProblemCode.BAD_LIMIT, "/steps/send-reminder/limit", "a cap with a negative limit",
                        welcome().with("/steps/send-reminder", """
                                {"type": "cap", "limit": -1, "next": "done", "overflow": "done"}""").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/await/events/0/to", "a reaction to no step",
                        react().with("/steps/await/events/0/to", "\"sned\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/await/onTimeout", "an onTimeout that names no step",
                        react().with("/steps/await/onTimeout", "\"jmup\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/split/branches/1/next", "a branch that names no step",
                        react().with("/steps/split/branches/1/next", "\"upadte\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/jump/next", "a jump whose next names no step",
                        react().with("/steps/jump/next", "\"dnoe\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-welcome/onError", "an action's onError naming no step",
                        welcome().with("/steps/send-welcome/onError", "\"oops\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/logged-in/onError", "a condition's onError naming no step",
                        welcome().with("/steps/logged-in/onError", "\"oops\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/wait-1d/onError", "a wait's onError naming no step",
                        welcome().with("/steps/wait-1d/onError", "\"oops\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/await/onError", "an await's onError naming no step",
                        react().with("/steps/await/onError", "\"oops\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/update/onError", "an updateProfile's onError naming no step",
                        react().with("/steps/update/onError", "\"oops\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/jump/onError", "onError on a jump",
                        react().with("/steps/jump/onError", "\"done\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/split/onError", "onError on a split",
                        react().with("/steps/split/onError", "\"done\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/await/events/0/channel", "a reaction with a channel",
                        react().with("/steps/await/events/0/channel", "\"email\"").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/await/timeout", "an await without timeout",
                        react().without("/steps/await/timeout").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/await/onTimeout", "an await without onTimeout",
                        react().without("/steps/await/onTimeout").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/await/events/1/event", "a reaction without event",
                        react().without("/steps/await/events/1/event").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/update/set", "an updateProfile without set",
                        react().without("/steps/update/set").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/jump/journey", "a jump without journey",
                        react().without("/steps/jump/journey").json()),
                new Case(ProblemCode.WRONG_TYPE, "/useProfileTimeZone", "a string where a boolean belongs",
                        welcome().with("/useProfileTimeZone", "\"yes\"").json()),
                new Case(ProblemCode.WRONG_TYPE, "/steps/update/set/engaged", "a number where an expression belongs",
                        react().with("/steps/update/set/engaged", "1").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps/await/events", "an await without events",
                        react().with("/steps/await/events", "[]").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps/update/set", "an updateProfile that sets nothing",
                        react().with("/steps/update/set", "{}").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/steps/await/events/0/when", "a reaction filter that does not parse",
                        react().with("/steps/await/events/0/when", "\"event.campaign ==\"").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/steps/update/set/engaged", "a set naming an undeclared variable",
                        react().with("/steps/update/set/engaged", "\"customer.engaged\"").json()),
                new Case(ProblemCode.BAD_DURATION, "/steps/await/timeout", "an await timeout of one month",
                        react().with("/steps/await/timeout", "\"P1M\"").json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/steps/await/timeout", "an await timeout of 92 days",
                        react().with("/steps/await/timeout", "\"P92D\"").json()),
                new Case(ProblemCode.CYCLE_WITHOUT_WAIT, "/steps/split", "a split, updateProfile and jump that loop",
                        react().with("/steps/jump/next", "\"split\"").with("/steps/await/onTimeout", "\"done\"")
                                .json()),
                new Case(ProblemCode.CYCLE_WITHOUT_WAIT, "/steps/split", "an onError that loops back without waiting",
                        react().with("/steps/update/onError", "\"split\"").json()),
                new Case(ProblemCode.UNREACHABLE_STEP, "/steps/failed", "an end step no onError leads to",
                        react().with("/steps/failed", "{\"type\": \"end\"}").json()),
                // ---- goals and experiments ----
                new Case(ProblemCode.UNKNOWN_GOAL, "/steps/test/goal", "an experiment on an undeclared goal",
                        cart().with("/steps/test/goal", "\"purchase\"").json()),
                new Case(ProblemCode.UNKNOWN_GOAL, "/steps/test/goal", "an experiment in a journey without goals",
                        cart().without("/goals").json()),
                new Case(ProblemCode.DUPLICATE_ID, "/goals/1/id", "two goals with the same id",
                        cart().with("/goals/1/id", "\"purchased\"").json()),
                new Case(ProblemCode.DUPLICATE_ID, "/steps/test/arms/2/id", "two arms with the same id",
                        cart().with("/steps/test/arms/2/id", "\"email\"").json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms", "two control arms",
                        cart().with("/steps/test/arms/1/control", "true").json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms", "a single arm",
                        cart().with("/steps/test/arms", "[{\"id\": \"email\", \"percent\": 100, \"next\": \"send\"}]")
                                .without("/steps/push").json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms", "a single arm that is the control",
                        cart().with("/steps/test/arms", """
                                [{"id": "holdout", "percent": 100, "next": "done", "control": true}]""")
                                .without("/steps/send").without("/steps/push").json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms", "eleven arms",
                        cart().with("/steps/test/arms", ELEVEN_ARMS).json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/winner/confidence", "a winner confidence of 1.0",
                        cart().with("/steps/test/winner/confidence", "1.0").json()),
                new Case(ProblemCode.BAD_EXPERIMENT, "/steps/test/winner/confidence", "a winner confidence of 0.4",
                        cart().with("/steps/test/winner/confidence", "0.4").json()),
                new Case(ProblemCode.BAD_LIMIT, "/steps/test/winner/minPerArm", "a winner rule of 0 profiles per arm",
                        cart().with("/steps/test/winner/minPerArm", "0").json()),
                new Case(ProblemCode.BAD_LIMIT, "/steps/test/winner/minPerArm", "a fractional minPerArm",
                        cart().with("/steps/test/winner/minPerArm", "2.5").json()),
                new Case(ProblemCode.BAD_SPLIT, "/steps/test/arms", "arm percents that sum to 110",
                        cart().with("/steps/test/arms/2/percent", "19.5").json()),
                new Case(ProblemCode.BAD_SPLIT, "/steps/test/arms/0/percent", "an arm of zero percent",
                        cart().with("/steps/test/arms/0/percent", "0").with("/steps/test/arms/1/percent", "90.5")
                                .json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/goals/0/within", "a goal window of 92 days",
                        cart().with("/goals/0/within", "\"P92D\"").json()),
                new Case(ProblemCode.DURATION_OUT_OF_RANGE, "/steps/test/winner/after", "a winner after 92 days",
                        cart().with("/steps/test/winner/after", "\"P92D\"").json()),
                new Case(ProblemCode.BAD_DURATION, "/goals/1/within", "a goal window of one month",
                        cart().with("/goals/1/within", "\"P1M\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/goals/0/deadline", "a goal with a deadline",
                        cart().with("/goals/0/deadline", "\"P1D\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/test/arms/0/weight", "an arm with a weight",
                        cart().with("/steps/test/arms/0/weight", "2").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/test/winner/metric", "a winner rule with a metric",
                        cart().with("/steps/test/winner/metric", "\"rate\"").json()),
                new Case(ProblemCode.MISSING_FIELD, "/goals/1/within", "a goal without a window",
                        cart().without("/goals/1/within").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/test/winner/minPerArm", "a winner rule without minPerArm",
                        cart().without("/steps/test/winner/minPerArm").json()),
                new Case(ProblemCode.WRONG_TYPE, "/goals", "goals as one object instead of a list",
                        cart().with("/goals", "{\"id\": \"purchased\"}").with("/steps/test/goal", "\"purchased\"")
                                .without("/steps/test").with("/start", "\"send\"").without("/steps/push").json()),
                new Case(ProblemCode.WRONG_TYPE, "/steps/test/arms/2/control", "a control that is a string",
                        cart().with("/steps/test/arms/2/control", "\"yes\"").json()),
                new Case(ProblemCode.BAD_STEP_ID, "/steps/test/arms/1/id", "an arm id with a space",
                        cart().with("/steps/test/arms/1/id", "\"push me\"").json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/goals/0/when", "a goal filter returning an int",
                        cart().with("/goals/0/when", "\"dayOfWeek(now)\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/test/arms/1/next", "an arm that names no step",
                        cart().with("/steps/test/arms/1/next", "\"psuh\"").with("/steps/send/next", "\"push\"")
                                .json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/overflow", "a cap whose overflow names no step",
                        welcome().with("/steps/send-reminder", """
                                {"type": "cap", "limit": 10, "next": "done", "overflow": "dnoe"}""").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/onTimeout", "a call's onTimeout naming no step",
                        welcome().with("/steps/send-reminder", """
                                {"type": "call", "action": "crm", "next": "done", "onTimeout": "dnoe"}""").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/next", "a cap whose next names no step",
                        welcome().with("/steps/send-reminder", """
                                {"type": "cap", "limit": 10, "next": "dnoe", "overflow": "done"}""").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/send-reminder/next", "a call whose next names no step",
                        welcome().with("/steps/send-reminder", """
                                {"type": "call", "action": "crm", "next": "dnoe"}""").json()),
                // ---- delivery rules: the window step, rules and priority ----
                new Case(ProblemCode.MISSING_FIELD, "/steps/office-hours/from", "a window without from",
                        office().without("/steps/office-hours/from").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/office-hours/to", "a window without to",
                        office().without("/steps/office-hours/to").json()),
                new Case(ProblemCode.MISSING_FIELD, "/steps/office-hours/next", "a window without next",
                        office().without("/steps/office-hours/next").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/from", "a window from 24:00",
                        office().with("/steps/office-hours/from", "\"24:00\"").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/to", "a window to 9:00, without its leading zero",
                        office().with("/steps/office-hours/to", "\"9:00\"").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/to", "a window from 09:00 to 09:00, empty",
                        office().with("/steps/office-hours/to", "\"09:00\"").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/days/1", "a window on day 8",
                        office().with("/steps/office-hours/days", "[1, 8]").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/days/0", "a window on day 0",
                        office().with("/steps/office-hours/days", "[0]").json()),
                new Case(ProblemCode.BAD_CLOCK, "/steps/office-hours/days/2", "a window on Monday twice",
                        office().with("/steps/office-hours/days", "[1, 2, 1]").json()),
                new Case(ProblemCode.EMPTY_LIST, "/steps/office-hours/days", "a window on no day",
                        office().with("/steps/office-hours/days", "[]").json()),
                new Case(ProblemCode.WRONG_TYPE, "/steps/office-hours/days", "a window's days as a number",
                        office().with("/steps/office-hours/days", "5").json()),
                new Case(ProblemCode.BAD_TIME_ZONE, "/steps/office-hours/timeZone", "a window in an unknown zone",
                        office().with("/steps/office-hours/timeZone", "\"Mars/Olympus_Mons\"").json()),
                new Case(ProblemCode.UNKNOWN_STEP, "/steps/office-hours/next", "a window whose next names no step",
                        office().with("/steps/office-hours/next", "\"dnoe\"").json()),
                new Case(ProblemCode.CYCLE_WITHOUT_WAIT, "/steps/logged-in",
                        "a loop through a window, which goes on at once inside its period",
                        office().with("/steps/office-hours/next", "\"logged-in\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/office-hours/duration", "a window with a duration",
                        office().with("/steps/office-hours/duration", "\"P1D\"").json()),
                new Case(ProblemCode.BAD_RULE, "/priority", "priority 101",
                        welcome().with("/priority", "101").json()),
                new Case(ProblemCode.BAD_RULE, "/priority", "priority -1",
                        welcome().with("/priority", "-1").json()),
                new Case(ProblemCode.BAD_RULE, "/priority", "a fractional priority",
                        welcome().with("/priority", "50.5").json()),
                new Case(ProblemCode.WRONG_TYPE, "/rules", "rules as a number",
                        welcome().with("/rules", "42").json()),
                new Case(ProblemCode.WRONG_TYPE, "/rules", "rules as an inline rule set",
                        welcome().with("/rules", "{\"frequency\": []}").json()),
                new Case(ProblemCode.BAD_ID, "/rules", "a rule set id with capitals",
                        welcome().with("/rules", "\"Marketing\"").json()),
                new Case(ProblemCode.WRONG_TYPE, "/steps/send-welcome/rules", "an action's rules as a string",
                        welcome().with("/steps/send-welcome/rules", "\"false\"").json()),
                new Case(ProblemCode.UNKNOWN_FIELD, "/steps/wait-1d/rules", "rules on a wait",
                        welcome().with("/steps/wait-1d/rules", "false").json()),
                // ---- limits of expressions ----
                new Case(ProblemCode.EXPRESSION_OVER_LIMIT, "/entry/when",
                        "nested comprehensions over literal lists of 100 (10,100 iterations)",
                        welcome().with("/entry/when", text(PAIRS_OF_HUNDRED)).json()),
                new Case(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/logged-in/choices/0/when",
                        "a literal pattern of a billion instructions",
                        welcome().with("/steps/logged-in/choices/0/when", text(BILLION_INSTRUCTIONS)).json()),
                new Case(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/send-welcome/params/firstName",
                        "a param of 5,000 characters",
                        welcome().with("/steps/send-welcome/params/firstName", text(FIVE_THOUSAND_CHARACTERS)).json()),
                new Case(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/await/events/0/when", "parentheses 60 deep",
                        react().with("/steps/await/events/0/when", text(SIXTY_DEEP)).json()),
                new Case(ProblemCode.BAD_EXPRESSION, "/steps/update/set/engaged", "a literal pattern that does not compile",
                        react().with("/steps/update/set/engaged", text("profile.name.matches('(unclosed')")).json()));
    }

    /** Eleven arms of 9.1% (the last 9%) to the cart's three steps. */
    private static final String ELEVEN_ARMS = java.util.stream.IntStream.range(0, 11)
            .mapToObj(i -> "{\"id\": \"arm-" + i + "\", \"percent\": " + (i < 10 ? "9.1" : "9")
                    + ", \"next\": \"" + List.of("send", "push", "done").get(i % 3) + "\"}")
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));

    private static final String HUNDRED_ZEROS = "[" + "0,".repeat(99) + "0]";
    private static final String PAIRS_OF_HUNDRED = HUNDRED_ZEROS + ".all(a, " + HUNDRED_ZEROS + ".all(b, a == b))";
    private static final String BILLION_INSTRUCTIONS = "event.text.matches('((a{1000}){1000}){1000}')";
    private static final String FIVE_THOUSAND_CHARACTERS = "'" + "x".repeat(4_998) + "'";
    private static final String SIXTY_DEEP = "(".repeat(60) + "true" + ")".repeat(60);

    // ---- limits of expressions, all at once ----

    @Test
    void shouldReportEveryExpressionBeyondALimitAtOnceEachAtItsField() {
        String document = welcome()
                .with("/entry/when", text(PAIRS_OF_HUNDRED))
                .with("/steps/logged-in/choices/0/when", text(BILLION_INSTRUCTIONS + " && " + PAIRS_OF_HUNDRED))
                .with("/steps/send-welcome/params/firstName", text(FIVE_THOUSAND_CHARACTERS))
                .with("/steps/send-welcome/params/pattern", text("profile.name.matches('(unclosed')"))
                .json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer, p -> p.message().substring(0, 25))
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.EXPRESSION_OVER_LIMIT, "/entry/when", "Expected at most 1000 com"),
                        tuple(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/logged-in/choices/0/when",
                                "Expected a regular expres"),
                        tuple(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/logged-in/choices/0/when",
                                "Expected at most 1000 com"),
                        tuple(ProblemCode.EXPRESSION_OVER_LIMIT, "/steps/send-welcome/params/firstName",
                                "Expected an expression of"),
                        tuple(ProblemCode.BAD_EXPRESSION, "/steps/send-welcome/params/pattern",
                                "Expected a valid regular "));
    }

    @Test
    void shouldAcceptExpressionsJustWithinTheLimits() {
        String thirty = "[" + "0,".repeat(29) + "0]";
        String document = welcome()
                .with("/entry/when", text(thirty + ".all(a, " + thirty + ".all(b, a == b))")) // 930 iterations
                .with("/steps/logged-in/choices/0/when", text("profile.email.matches('[a-z]{1,499}x')")) // 1,000
                .with("/steps/send-welcome/params/firstName", text("'" + "x".repeat(4_094) + "'")) // 4,096
                .json();

        assertThat(JourneyParser.parse(document).problems()).isEmpty();
    }

    /** A string as JSON text, for {@link Doc#with}. */
    private static String text(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
    void shouldReportEveryProblemOfGoalsAndExperimentsAtOnce() {
        String document = cart()
                .with("/goals/1/id", "\"purchased\"")
                .with("/goals/0/within", "\"P92D\"")
                .with("/goals/0/colour", "\"red\"")
                .with("/steps/test/goal", "\"sold\"")
                .with("/steps/test/arms", """
                        [{"id": "email", "percent": 50, "next": "send", "control": true},
                         {"id": "email", "percent": 40, "next": "push", "control": true, "weight": 1}]""")
                .with("/steps/test/winner", "{\"after\": \"P1M\", \"confidence\": 0.4, \"minPerArm\": 0}")
                .json();

        ParseResult result = JourneyParser.parse(document);

        assertThat(result.journey()).isNull();
        assertThat(result.problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.DUPLICATE_ID, "/goals/1/id"),
                        tuple(ProblemCode.DURATION_OUT_OF_RANGE, "/goals/0/within"),
                        tuple(ProblemCode.UNKNOWN_FIELD, "/goals/0/colour"),
                        tuple(ProblemCode.UNKNOWN_GOAL, "/steps/test/goal"),
                        tuple(ProblemCode.DUPLICATE_ID, "/steps/test/arms/1/id"),
                        tuple(ProblemCode.UNKNOWN_FIELD, "/steps/test/arms/1/weight"),
                        tuple(ProblemCode.BAD_SPLIT, "/steps/test/arms"),
                        tuple(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms"),
                        tuple(ProblemCode.BAD_DURATION, "/steps/test/winner/after"),
                        tuple(ProblemCode.BAD_EXPERIMENT, "/steps/test/winner/confidence"),
                        tuple(ProblemCode.BAD_LIMIT, "/steps/test/winner/minPerArm"));
        assertThat(result.problems()).filteredOn(p -> p.pointer().equals("/steps/test/arms")
                        && p.code() == ProblemCode.BAD_EXPERIMENT)
                .extracting(Problem::message)
                .containsExactly("Expected at most one control arm, but found 2");
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
    void shouldReportASplitWithoutBranchesAndTheStepsItCutsOff() {
        String document = react().with("/steps/split/branches", "[]").json();

        assertThat(JourneyParser.parse(document).problems())
                .extracting(Problem::code, Problem::pointer)
                .containsExactlyInAnyOrder(
                        tuple(ProblemCode.EMPTY_LIST, "/steps/split/branches"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/send"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/await"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/update"),
                        tuple(ProblemCode.UNREACHABLE_STEP, "/steps/jump"),
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

    /** One document expected to have exactly one problem, parsed with a guard rail of {@code maxSteps}. */
    record Case(ProblemCode code, String pointer, String what, String document, int maxSteps) {
        Case(ProblemCode code, String pointer, String what, String document) {
            this(code, pointer, what, document, JourneyParser.DEFAULT_MAX_STEPS);
        }

        @Override
        public String toString() {
            return code.code() + " " + (pointer.isEmpty() ? "/" : pointer) + " for " + what;
        }
    }

    private static Doc welcome() {
        return new Doc((ObjectNode) tree(WELCOME));
    }

    private static Doc react() {
        return new Doc((ObjectNode) tree(REACT));
    }

    /** WELCOME with a window step after the reminder: weekdays, 09:00 to 17:00 in the profile's zone. */
    private static Doc office() {
        return welcome().with("/steps/send-reminder/next", "\"office-hours\"")
                .with("/steps/office-hours", """
                        {"type": "window", "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00", "next": "done"}""");
    }

    private static Doc cart() {
        return new Doc((ObjectNode) tree(CART));
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
