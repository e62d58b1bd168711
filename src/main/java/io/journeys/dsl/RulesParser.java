package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule set document ({@code "kind": "rules"}) and checks it completely, like {@link JourneyParser}:
 * every problem at once, each with a code and a JSON pointer.
 *
 * <pre>{@code
 * RulesParser.Result result = RulesParser.parse(Files.readString(Path.of("marketing.rules.json")));
 * }</pre>
 */
public final class RulesParser extends DocumentReader {

    /** The result: the rule set when there is no problem. */
    public record Result(RuleSet rules, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** The longest an action may be held by quiet hours. */
    public static final Duration LONGEST_HOLD = Duration.ofDays(30);
    static final Duration DEFAULT_HOLD = Duration.ofDays(7);
    /** The most entries or messages a cap may allow per window. */
    static final int LARGEST_MAX = 10_000;

    private static final ZoneId UTC = ZoneId.of("UTC");
    // the rule id syntax and the field names of the format, in one place: RulesSchemaTest holds
    // schema/rules.schema.json to them
    static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Set<String> FIELDS = Set.of("kind", "id", "version", "name", "description",
            "fallbackTimeZone", "publishedAt", "frequency", "quietHours", "entries");
    static final Set<String> FREQUENCY_FIELDS = Set.of("id", "channels", "max", "per", PeriodReader.TIME_ZONE);
    static final Set<String> QUIET_FIELDS = Set.of("id", "channels", PeriodReader.FROM, PeriodReader.TO,
            PeriodReader.DAYS, PeriodReader.TIME_ZONE, "then", "maxHold");
    static final Set<String> ENTRY_FIELDS = Set.of("max", "per", "maxConcurrent", PeriodReader.TIME_ZONE);

    private final PeriodReader periods = new PeriodReader(this);
    private final Set<String> ruleIds = new HashSet<>();

    private RulesParser() {}

    public static Result parse(String document) {
        return new RulesParser().read(document);
    }

    private Result read(String document) {
        JsonNode root = readRoot(document);
        if (root == null) {
            return new Result(null, List.copyOf(problems));
        }
        unknownFields(root, "", FIELDS);
        requiredString(root, "", "kind").filter(kind -> !kind.equals("rules")).ifPresent(kind ->
                problem(ProblemCode.UNKNOWN_KIND, "/kind", "Expected kind \"rules\", but found \"" + kind + "\""));
        String id = requiredString(root, "", "id").orElse(null);
        if (id != null && !JourneyParser.JOURNEY_ID.matcher(id).matches()) {
            problem(ProblemCode.BAD_ID, "/id", "Expected an id matching [a-z0-9][a-z0-9._-]{0,63}, but found \""
                    + id + "\"");
        }
        int version = (int) wholeNumber(root, "", "version", 1, Integer.MAX_VALUE, null, ProblemCode.BAD_VERSION);
        String name = optionalString(root, "", "name").orElse(id);
        optionalString(root, "", "description");
        ZoneId fallback = optionalString(root, "", "fallbackTimeZone")
                .map(text -> periods.zone(text, "/fallbackTimeZone")).orElse(UTC);
        Instant publishedAt = optionalString(root, "", "publishedAt").map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeException e) {
                problem(ProblemCode.BAD_INSTANT, "/publishedAt",
                        "Expected an ISO-8601 instant such as 2026-03-01T09:00:00Z, but found \"" + text + "\"");
                return null;
            }
        }).orElse(null);
        List<RuleSet.Frequency> frequency = new ArrayList<>();
        List<JsonNode> frequencyItems = optionalArray(root, "frequency");
        for (int i = 0; i < frequencyItems.size(); i++) {
            RuleSet.Frequency rule = readFrequency(frequencyItems.get(i), "/frequency/" + i);
            if (rule != null) {
                frequency.add(rule);
            }
        }
        List<RuleSet.QuietHours> quietHours = new ArrayList<>();
        List<JsonNode> quietItems = optionalArray(root, "quietHours");
        for (int i = 0; i < quietItems.size(); i++) {
            RuleSet.QuietHours rule = readQuietHours(quietItems.get(i), "/quietHours/" + i);
            if (rule != null) {
                quietHours.add(rule);
            }
        }
        RuleSet.Entries entries = root.has("entries") ? readEntries(root.get("entries"), "/entries") : null;
        if (frequencyItems.isEmpty() && quietItems.isEmpty() && !root.has("entries")) {
            problem(ProblemCode.EMPTY_LIST, "", "Expected at least one of frequency, quietHours and entries, but the"
                    + " rule set has none");
        }
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new RuleSet(id, version, name, fallback, publishedAt, List.copyOf(frequency),
                List.copyOf(quietHours), entries, document), List.of());
    }

    private List<JsonNode> optionalArray(JsonNode root, String field) {
        return root.has(field) ? requiredArray(root, "", field) : List.of();
    }

    private RuleSet.Frequency readFrequency(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, FREQUENCY_FIELDS);
        String id = ruleId(node, at);
        Set<Channel> channels = periods.channels(node, at);
        int max = (int) wholeNumber(node, at, "max", 1, LARGEST_MAX, null, ProblemCode.BAD_RULE);
        CalendarWindow per = window(node, at, true);
        return new RuleSet.Frequency(id, channels, max, per, periods.zone(node, at));
    }

    private RuleSet.QuietHours readQuietHours(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, QUIET_FIELDS);
        String id = ruleId(node, at);
        Set<Channel> channels = periods.channels(node, at);
        WeeklyPeriod period = periods.period(node, at);
        String then = optionalString(node, at, "then").orElse("queue");
        if (!then.equals("queue") && !then.equals("discard")) {
            problem(ProblemCode.BAD_RULE, pointer(at, "then"), "Expected then queue or discard, but found \"" + then + "\"");
        }
        Duration maxHold = optionalString(node, at, "maxHold")
                .flatMap(text -> duration(text, pointer(at, "maxHold"), LONGEST_HOLD)).orElse(DEFAULT_HOLD);
        if (then.equals("discard") && node.has("maxHold")) {
            problem(ProblemCode.BAD_RULE, pointer(at, "maxHold"), "Expected no maxHold with then discard, which holds"
                    + " nothing, but found one");
        }
        return new RuleSet.QuietHours(id, channels, period, periods.zone(node, at), then.equals("discard"), maxHold);
    }

    private RuleSet.Entries readEntries(JsonNode node, String at) {
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, ENTRY_FIELDS);
        int max = (int) wholeNumber(node, at, "max", 1, LARGEST_MAX, 0L, ProblemCode.BAD_RULE);
        int maxConcurrent = (int) wholeNumber(node, at, "maxConcurrent", 1, LARGEST_MAX, 0L, ProblemCode.BAD_RULE);
        CalendarWindow per = window(node, at, node.has("max"));
        if (!node.has("max") && node.has("per")) {
            problem(ProblemCode.BAD_RULE, pointer(at, "per"), "Expected max with per, but there is none");
        }
        if (!node.has("max") && !node.has("maxConcurrent")) {
            problem(ProblemCode.MISSING_FIELD, at, "Expected max (with per) or maxConcurrent, but there is neither");
        }
        return new RuleSet.Entries(max, per, periods.zone(node, at), maxConcurrent);
    }

    private CalendarWindow window(JsonNode node, String at, boolean required) {
        String text = required ? requiredString(node, at, "per").orElse(null)
                : optionalString(node, at, "per").orElse(null);
        if (text == null) {
            return null;
        }
        return CalendarWindow.fromJson(text).orElseGet(() -> {
            problem(ProblemCode.BAD_RULE, pointer(at, "per"), "Expected per day, week or month, but found \"" + text
                    + "\"");
            return null;
        });
    }

    private String ruleId(JsonNode node, String at) {
        String id = requiredString(node, at, "id").orElse(null);
        if (id == null) {
            return null;
        }
        if (!RULE_ID.matcher(id).matches()) {
            problem(ProblemCode.BAD_ID, pointer(at, "id"),
                    "Expected a rule id matching [A-Za-z0-9][A-Za-z0-9._-]{0,63}, but found \"" + id + "\"");
        } else if (!ruleIds.add(id)) {
            problem(ProblemCode.DUPLICATE_ID, pointer(at, "id"), "Expected each rule id once, but \"" + id
                    + "\" is there twice");
        }
        return id;
    }
}
