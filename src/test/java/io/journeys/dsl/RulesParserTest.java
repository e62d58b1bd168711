package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rule set documents ({@code "kind": "rules"}): read completely, with their defaults, every problem at once. */
class RulesParserTest {

    /** A valid rule set that leaves every optional field to its default. */
    private static final String MARKETING = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}],
             "quietHours": [{"id": "night", "channels": ["email", "sms"], "from": "21:00", "to": "08:00"}],
             "entries": {"maxConcurrent": 1}}""";

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    // ---- valid rule sets ----

    @Test
    void shouldReadAValidRuleSetAndApplyTheDefaults() {
        RulesParser.Result result = RulesParser.parse(MARKETING);

        assertThat(result.problems()).isEmpty();
        assertThat(result.valid()).isTrue();
        RuleSet rules = result.rules();
        assertThat(rules.id()).isEqualTo("marketing");
        assertThat(rules.version()).isEqualTo(1);
        assertThat(rules.name()).as("name defaults to the id").isEqualTo("marketing");
        assertThat(rules.fallbackTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(rules.publishedAt()).isNull();
        assertThat(rules.source()).isEqualTo(MARKETING);
        assertThat(rules.frequency()).containsExactly(new RuleSet.Frequency("email-daily", Set.of(Channel.EMAIL), 1,
                CalendarWindow.DAY, ZoneChoice.PROFILE));
        RuleSet.QuietHours night = rules.quietHours().get(0);
        assertThat(night.period()).isEqualTo(new WeeklyPeriod(EnumSet.allOf(DayOfWeek.class), LocalTime.of(21, 0),
                LocalTime.of(8, 0)));
        assertThat(night.timeZone()).isEqualTo(ZoneChoice.PROFILE);
        assertThat(night.discard()).as("then defaults to queue").isFalse();
        assertThat(night.maxHold()).isEqualTo(Duration.ofDays(7));
        assertThat(night.channels()).containsExactly(Channel.EMAIL, Channel.SMS);
        assertThat(rules.entries()).isEqualTo(new RuleSet.Entries(0, null, ZoneChoice.PROFILE, 1));
        assertThat(rules.capsChannel(Channel.EMAIL)).isTrue();
        assertThat(rules.capsChannel(Channel.SMS)).as("quiet hours do not cap").isFalse();
    }

    @Test
    void shouldKeepTheValuesARuleSetGivesInsteadOfTheDefaults() {
        RulesParser.Result result = RulesParser.parse("""
                {"kind": "rules", "id": "marketing", "version": 4, "name": "Marketing", "description": "Be polite",
                 "fallbackTimeZone": "Europe/Paris", "publishedAt": "2026-03-01T00:00:00Z",
                 "frequency": [{"id": "Weekly.all", "channels": ["email", "push", "sms", "inApp", "custom"],
                                "max": 10000, "per": "week", "timeZone": "America/New_York"}],
                 "quietHours": [{"id": "weekend", "channels": ["push"], "from": "00:00", "to": "23:59",
                                 "days": [7, 6], "timeZone": "Europe/Paris", "then": "discard"},
                                {"id": "lunch", "channels": ["sms"], "from": "12:00", "to": "14:00",
                                 "then": "queue", "maxHold": "P30D"}],
                 "entries": {"max": 3, "per": "month", "maxConcurrent": 2, "timeZone": "Europe/Paris"}}""");

        assertThat(result.problems()).isEmpty();
        RuleSet rules = result.rules();
        assertThat(rules.name()).isEqualTo("Marketing");
        assertThat(rules.fallbackTimeZone()).isEqualTo(PARIS);
        assertThat(rules.publishedAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(rules.publishedBy(Instant.parse("2026-02-28T23:59:59Z"))).isFalse();
        assertThat(rules.publishedBy(Instant.parse("2026-03-01T00:00:00Z"))).isTrue();
        assertThat(rules.frequency()).containsExactly(new RuleSet.Frequency("Weekly.all", EnumSet.allOf(Channel.class),
                RulesParser.LARGEST_MAX, CalendarWindow.WEEK, new ZoneChoice(ZoneId.of("America/New_York"))));
        assertThat(rules.quietHours()).containsExactly(
                new RuleSet.QuietHours("weekend", Set.of(Channel.PUSH), new WeeklyPeriod(
                        EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.MIDNIGHT, LocalTime.of(23, 59)),
                        new ZoneChoice(PARIS), true, Duration.ofDays(7)),
                new RuleSet.QuietHours("lunch", Set.of(Channel.SMS), new WeeklyPeriod(EnumSet.allOf(DayOfWeek.class),
                        LocalTime.NOON, LocalTime.of(14, 0)), ZoneChoice.PROFILE, false, RulesParser.LONGEST_HOLD));
        assertThat(rules.entries()).isEqualTo(new RuleSet.Entries(3, CalendarWindow.MONTH, new ZoneChoice(PARIS), 2));
    }

    @Test
    void shouldAcceptARuleSetOfOnlyOneKindOfRule() {
        for (String rules : List.of(
                "\"frequency\": [{\"id\": \"f\", \"channels\": [\"sms\"], \"max\": 2, \"per\": \"month\"}]",
                "\"quietHours\": [{\"id\": \"q\", \"channels\": [\"sms\"], \"from\": \"22:00\", \"to\": \"07:00\"}]",
                "\"entries\": {\"max\": 1, \"per\": \"week\"}")) {
            RulesParser.Result result = RulesParser.parse("{\"kind\": \"rules\", \"id\": \"r\", \"version\": 1, "
                    + rules + "}");
            assertThat(result.problems()).as(rules).isEmpty();
        }
    }

    @Test
    void shouldBeReadAsARuleSetAmongDocumentsOfEveryKind() {
        DefinitionParser.Definition definition = DefinitionParser.parse(MARKETING);

        assertThat(definition.kind()).isEqualTo(DefinitionKind.RULES);
        assertThat(definition.isRules()).isTrue();
        assertThat(definition.valid()).isTrue();
        assertThat(definition.describe()).isEqualTo("rules marketing v1");
        assertThat(DefinitionKind.publicationOrder(List.of("{\"id\": \"welcome\"}", "{\"kind\": \"action\"}", MARKETING)))
                .first().isEqualTo(MARKETING);
    }

    // ---- problems ----

    /** One document with every problem a rule set can have, rule by rule. */
    private static final String MANY_PROBLEMS = """
            {"kind": "rules", "id": "marketing", "version": 1, "colour": "red", "fallbackTimeZone": "Nowhere/Land",
             "frequency": [
               {"id": "daily", "channels": ["email", "email"], "max": 0, "per": "fortnight", "weight": 2},
               {"id": "weekly", "channels": ["fax"], "max": 3, "per": "week", "timeZone": "Mars/Olympus_Mons"},
               {"id": "hourly", "channels": ["sms"], "per": "day"}
             ],
             "quietHours": [
               {"id": "daily", "channels": ["sms"], "from": "24:00", "to": "08:00", "then": "drop"},
               {"id": "lunch", "channels": ["push"], "from": "12:00", "to": "12:00", "days": [8, 2, 2],
                "maxHold": "P31D"},
               {"id": "weekend", "channels": ["email"], "from": "00:00", "to": "23:59", "days": [6, 7],
                "then": "discard", "maxHold": "PT1H"}
             ],
             "entries": {"per": "week", "timeZone": "profile"}}""";

    @Test
    void shouldReportEveryProblemAtOnceEachWithItsCodeAndPointer() {
        RulesParser.Result result = RulesParser.parse(MANY_PROBLEMS);

        assertThat(result.rules()).isNull();
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(p -> p.code().code() + " " + p.pointer()).containsExactlyInAnyOrder(
                "JRN-003 /colour",
                "JRN-010 /fallbackTimeZone",
                "JRN-033 /frequency/0/channels/1",
                "JRN-037 /frequency/0/max",
                "JRN-037 /frequency/0/per",
                "JRN-003 /frequency/0/weight",
                "JRN-019 /frequency/1/channels/0",
                "JRN-010 /frequency/1/timeZone",
                "JRN-002 /frequency/2/max",
                "JRN-033 /quietHours/0/id",
                "JRN-036 /quietHours/0/from",
                "JRN-037 /quietHours/0/then",
                "JRN-036 /quietHours/1/days/0",
                "JRN-036 /quietHours/1/days/2",
                "JRN-036 /quietHours/1/to",
                "JRN-020 /quietHours/1/maxHold",
                "JRN-037 /quietHours/2/maxHold",
                "JRN-037 /entries/per",
                "JRN-002 /entries");
    }

    @Test
    void shouldSayWhatWasExpectedAndWhatWasFound() {
        assertThat(RulesParser.parse(MANY_PROBLEMS).problems()).extracting(Problem::toString).contains(
                "JRN-033 /quietHours/0/id: Expected each rule id once, but \"daily\" is there twice",
                "JRN-033 /frequency/0/channels/1: Expected each channel once, but email is named twice",
                "JRN-037 /frequency/0/per: Expected per day, week or month, but found \"fortnight\"",
                "JRN-036 /quietHours/1/to: Expected a to other than from (12:00), but they are equal: the period"
                        + " would be empty",
                "JRN-036 /quietHours/1/days/0: Expected a day from 1 (Monday) to 7 (Sunday), but found 8",
                "JRN-036 /quietHours/1/days/2: Expected each day once, but 2 is there twice",
                "JRN-020 /quietHours/1/maxHold: Expected at most 30 days, but found \"P31D\"",
                "JRN-037 /quietHours/2/maxHold: Expected no maxHold with then discard, which holds nothing, but"
                        + " found one",
                "JRN-002 /entries: Expected max (with per) or maxConcurrent, but there is neither",
                "JRN-010 /fallbackTimeZone: Expected an IANA time zone such as Europe/Paris, but found"
                        + " \"Nowhere/Land\"");
    }

    @Test
    void shouldRefuseARuleSetWithoutRules() {
        assertThat(RulesParser.parse("{\"kind\": \"rules\", \"id\": \"empty\", \"version\": 1}").problems())
                .extracting(Problem::toString)
                .containsExactly("JRN-021 /: Expected at least one of frequency, quietHours and entries, but the rule"
                        + " set has none");
        assertThat(RulesParser.parse("{\"kind\": \"rules\", \"id\": \"empty\", \"version\": 1, \"frequency\": []}")
                        .problems())
                .extracting(p -> p.code().code() + " " + p.pointer())
                .containsExactlyInAnyOrder("JRN-021 /frequency", "JRN-021 ");
    }

    @Test
    void shouldReportMissingFieldsBadIdsAndWrongTypes() {
        RulesParser.Result result = RulesParser.parse("""
                {"kind": "rules", "id": "Marketing!", "version": 0, "publishedAt": "tomorrow",
                 "frequency": [{"channels": "email", "max": "1", "per": "day"}, 7],
                 "quietHours": [{"id": "night shift", "channels": [], "to": "08:00"}],
                 "entries": []}""");

        assertThat(result.problems()).extracting(p -> p.code().code() + " " + p.pointer()).containsExactlyInAnyOrder(
                "JRN-005 /id",
                "JRN-006 /version",
                "JRN-009 /publishedAt",
                "JRN-002 /frequency/0/id",
                "JRN-004 /frequency/0/channels",
                "JRN-037 /frequency/0/max",
                "JRN-004 /frequency/1",
                "JRN-005 /quietHours/0/id",
                "JRN-021 /quietHours/0/channels",
                "JRN-002 /quietHours/0/from",
                "JRN-004 /entries");
    }

    @Test
    void shouldRefuseADocumentThatIsNotARuleSet() {
        assertThat(RulesParser.parse("{\"kind\": \"journey\", \"id\": \"r\", \"version\": 1, \"entries\":"
                + " {\"maxConcurrent\": 1}}").problems())
                .extracting(p -> p.code().code() + " " + p.pointer()).containsExactly("JRN-023 /kind");
        assertThat(RulesParser.parse("{\"id\": \"r\", \"version\": 1, \"entries\": {\"maxConcurrent\": 1}}")
                .problems())
                .extracting(p -> p.code().code() + " " + p.pointer()).containsExactly("JRN-002 /kind");
        assertThat(RulesParser.parse("[]").problems()).extracting(p -> p.code().code()).containsExactly("JRN-001");
    }

    @Test
    void shouldAcceptEveryCapFromOneToTheLargestAndNoMore() {
        for (long max : List.of(1L, 10_000L, 0L, 10_001L, -1L)) {
            String document = "{\"kind\": \"rules\", \"id\": \"r\", \"version\": 1, \"entries\": {\"max\": " + max
                    + ", \"per\": \"day\", \"maxConcurrent\": " + max + "}}";
            boolean inRange = max >= 1 && max <= RulesParser.LARGEST_MAX;
            assertThat(RulesParser.parse(document).problems()).as("max %d", max)
                    .extracting(p -> p.code().code() + " " + p.pointer())
                    .containsExactlyElementsOf(inRange ? List.of()
                            : List.of("JRN-037 /entries/max", "JRN-037 /entries/maxConcurrent"));
        }
    }

    /** The codes the rules parser reports (for the parser's test that every code has a case). */
    static Stream<ProblemCode> codesShown() {
        return Stream.of(MANY_PROBLEMS, "{\"kind\": \"rules\", \"id\": \"empty\", \"version\": 1}")
                .flatMap(document -> RulesParser.parse(document).problems().stream())
                .map(Problem::code);
    }
}
