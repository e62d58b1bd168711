package io.journeys.dsl;

import static io.journeys.dsl.JourneyFields.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.expr.ExpressionType;
import io.journeys.expr.Expressions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a journey document and checks it completely: every problem is reported at once, each with a
 * code and a JSON pointer, and a {@link Journey} is returned only when there is none.
 *
 * <pre>{@code
 * ParseResult result = JourneyParser.parse(Files.readString(path));
 * result.problems().forEach(System.out::println); // JRN-013 /steps/wait-1d/next: unknown step "logged-ni"
 * }</pre>
 */
public final class JourneyParser {

    public static final Duration LONGEST_TIMEOUT = Duration.ofDays(91);
    static final Duration DEFAULT_WAIT_PERIOD = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern JOURNEY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final List<Problem> problems = new ArrayList<>();

    private JourneyParser() {}

    public static ParseResult parse(String document) {
        return new JourneyParser().read(document);
    }

    private ParseResult read(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            problem(ProblemCode.INVALID_JSON, "", "Expected a JSON object, but the text does not parse: "
                    + e.getOriginalMessage());
            return new ParseResult(null, List.copyOf(problems));
        }
        if (root == null || !root.isObject()) {
            problem(ProblemCode.INVALID_JSON, "", "Expected a JSON object, but found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
            return new ParseResult(null, List.copyOf(problems));
        }
        Journey journey = readJourney(root, document);
        if (!problems.isEmpty()) {
            return new ParseResult(null, List.copyOf(problems));
        }
        return new ParseResult(journey, List.of());
    }

    private Journey readJourney(JsonNode root, String document) {
        unknownFields(root, "", JOURNEY);
        optionalString(root, "", KIND).ifPresent(kind -> {
            if (!kind.equals("journey")) {
                problem(ProblemCode.UNKNOWN_KIND, pointer("", KIND),
                        "Expected kind \"journey\", but found \"" + kind + "\"");
            }
        });
        String id = requiredString(root, "", ID).orElse(null);
        if (id != null && !JOURNEY_ID.matcher(id).matches()) {
            problem(ProblemCode.BAD_ID, pointer("", ID),
                    "Expected an id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + id + "\"");
        }
        int version = readVersion(root);
        String name = optionalString(root, "", NAME).orElse(id);
        optionalString(root, "", DESCRIPTION);
        JourneyStatus status = optionalString(root, "", STATUS)
                .map(text -> JourneyStatus.fromJson(text).orElseGet(() -> {
                    problem(ProblemCode.BAD_STATUS, pointer("", STATUS),
                            "Expected live, closed or stopped, but found \"" + text + "\"");
                    return JourneyStatus.LIVE;
                }))
                .orElse(JourneyStatus.LIVE);
        ZoneId zone = optionalString(root, "", TIME_ZONE).map(text -> zone(text, pointer("", TIME_ZONE)))
                .orElse(ZoneOffset.UTC);
        Journey.Reentry reentry = readReentry(root.get(REENTRY));
        Duration timeout = optionalString(root, "", TIMEOUT)
                .flatMap(text -> duration(text, pointer("", TIMEOUT), LONGEST_TIMEOUT))
                .orElse(LONGEST_TIMEOUT);
        Instant startAt = optionalInstant(root, START_AT);
        Instant endAt = optionalInstant(root, END_AT);
        Instant publishedAt = optionalInstant(root, PUBLISHED_AT);
        Journey.Entry entry = readEntry(root.get(ENTRY));
        List<Journey.ExitCriterion> exits = readExits(root.get(EXIT));
        String start = requiredString(root, "", START).orElse(null);
        Map<String, Step> steps = readSteps(root.get(STEPS));
        new GraphChecker(problems).check(start, steps);
        return new Journey(id, version, name, status, zone, reentry, timeout, entry, startAt, endAt, publishedAt,
                exits, start, steps, document);
    }

    private int readVersion(JsonNode root) {
        JsonNode node = root.get(VERSION);
        if (node == null) {
            problem(ProblemCode.MISSING_FIELD, pointer("", VERSION), "Expected a version, but there is none");
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            problem(ProblemCode.BAD_VERSION, pointer("", VERSION),
                    "Expected a positive integer, but found " + node);
            return 0;
        }
        return node.intValue();
    }

    private Journey.Reentry readReentry(JsonNode node) {
        String at = pointer("", REENTRY);
        if (node == null) {
            return new Journey.Reentry(true, DEFAULT_WAIT_PERIOD);
        }
        if (!isObject(node, at)) {
            return new Journey.Reentry(true, DEFAULT_WAIT_PERIOD);
        }
        unknownFields(node, at, REENTRY_FIELDS);
        boolean allowed = true;
        JsonNode allowedNode = node.get(ALLOWED);
        if (allowedNode != null) {
            if (allowedNode.isBoolean()) {
                allowed = allowedNode.booleanValue();
            } else {
                wrongType(pointer(at, ALLOWED), "a boolean", allowedNode);
            }
        }
        Duration waitPeriod = optionalString(node, at, WAIT_PERIOD)
                .flatMap(text -> duration(text, pointer(at, WAIT_PERIOD), null))
                .orElse(DEFAULT_WAIT_PERIOD);
        return new Journey.Reentry(allowed, waitPeriod);
    }

    private Journey.Entry readEntry(JsonNode node) {
        String at = pointer("", ENTRY);
        if (node == null) {
            problem(ProblemCode.MISSING_FIELD, at, "Expected an entry, but there is none");
            return null;
        }
        if (!isObject(node, at)) {
            return null;
        }
        unknownFields(node, at, ENTRY_FIELDS);
        optionalString(node, at, TYPE).ifPresent(type -> {
            if (!type.equals("event")) {
                problem(ProblemCode.BAD_ENTRY_TYPE, pointer(at, TYPE),
                        "Expected entry type \"event\", but found \"" + type + "\"");
            }
        });
        String event = requiredString(node, at, EVENT).orElse(null);
        String when = optionalExpression(node, at, WHEN, ExpressionType.BOOL);
        return new Journey.Entry(event, when);
    }

    private List<Journey.ExitCriterion> readExits(JsonNode node) {
        String at = pointer("", EXIT);
        List<Journey.ExitCriterion> exits = new ArrayList<>();
        if (node == null) {
            return exits;
        }
        if (!node.isArray()) {
            wrongType(at, "an array", node);
            return exits;
        }
        for (int i = 0; i < node.size(); i++) {
            String itemAt = at + "/" + i;
            JsonNode item = node.get(i);
            if (!isObject(item, itemAt)) {
                continue;
            }
            unknownFields(item, itemAt, EXIT_FIELDS);
            String event = requiredString(item, itemAt, EVENT).orElse(null);
            String when = optionalExpression(item, itemAt, WHEN, ExpressionType.BOOL);
            exits.add(new Journey.ExitCriterion(event, when));
        }
        return exits;
    }

    private Map<String, Step> readSteps(JsonNode node) {
        String at = pointer("", STEPS);
        Map<String, Step> steps = new LinkedHashMap<>();
        if (node == null) {
            problem(ProblemCode.MISSING_FIELD, at, "Expected steps, but there are none");
            return steps;
        }
        if (!isObject(node, at)) {
            return steps;
        }
        if (node.isEmpty()) {
            problem(ProblemCode.EMPTY_LIST, at, "Expected at least one step, but there is none");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String stepId = field.getKey();
            String stepAt = pointer(at, stepId);
            if (!STEP_ID.matcher(stepId).matches()) {
                problem(ProblemCode.BAD_STEP_ID, stepAt,
                        "Expected a step id matching [A-Za-z0-9][A-Za-z0-9._-]{0,63}, but found \"" + stepId + "\"");
            }
            readStep(stepId, field.getValue(), stepAt).ifPresent(step -> steps.put(stepId, step));
        }
        return steps;
    }

    private Optional<Step> readStep(String stepId, JsonNode node, String at) {
        if (!isObject(node, at)) {
            return Optional.empty();
        }
        Optional<String> typeName = requiredString(node, at, TYPE);
        if (typeName.isEmpty()) {
            return Optional.empty();
        }
        Optional<StepType> type = StepType.fromJson(typeName.get());
        if (type.isEmpty()) {
            problem(ProblemCode.UNKNOWN_STEP_TYPE, pointer(at, TYPE),
                    "Expected one of action, condition, wait, end, but found \"" + typeName.get() + "\"");
            return Optional.empty();
        }
        Set<String> allowed = new java.util.HashSet<>(COMMON_STEP);
        allowed.addAll(stepFields(type.get()));
        unknownFields(node, at, allowed);
        optionalString(node, at, NAME);
        optionalString(node, at, DESCRIPTION);
        return Optional.ofNullable(switch (type.get()) {
            case ACTION -> readAction(stepId, node, at);
            case CONDITION -> readCondition(stepId, node, at);
            case WAIT -> readWait(stepId, node, at);
            case END -> new Step.End(stepId);
        });
    }

    private Step readAction(String stepId, JsonNode node, String at) {
        Channel channel = requiredString(node, at, CHANNEL)
                .map(text -> Channel.fromJson(text).orElseGet(() -> {
                    problem(ProblemCode.UNKNOWN_CHANNEL, pointer(at, CHANNEL),
                            "Expected one of email, push, sms, inApp, custom, but found \"" + text + "\"");
                    return null;
                }))
                .orElse(null);
        String template = optionalString(node, at, TEMPLATE).orElse(null);
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode paramsNode = node.get(PARAMS);
        String paramsAt = pointer(at, PARAMS);
        if (paramsNode != null && isObject(paramsNode, paramsAt)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = paramsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                String paramAt = pointer(paramsAt, param.getKey());
                if (!param.getValue().isTextual()) {
                    wrongType(paramAt, "an expression string", param.getValue());
                    continue;
                }
                checkExpression(param.getValue().textValue(), paramAt, ExpressionType.ANY);
                params.put(param.getKey(), param.getValue().textValue());
            }
        }
        String next = requiredString(node, at, NEXT).orElse(null);
        return new Step.Action(stepId, channel, template, params, next);
    }

    private Step readCondition(String stepId, JsonNode node, String at) {
        List<Step.Choice> choices = new ArrayList<>();
        JsonNode choicesNode = node.get(CHOICES);
        String choicesAt = pointer(at, CHOICES);
        if (choicesNode == null) {
            problem(ProblemCode.MISSING_FIELD, choicesAt, "Expected choices, but there are none");
        } else if (!choicesNode.isArray()) {
            wrongType(choicesAt, "an array", choicesNode);
        } else if (choicesNode.isEmpty()) {
            problem(ProblemCode.EMPTY_LIST, choicesAt, "Expected at least one choice, but there is none");
        } else {
            for (int i = 0; i < choicesNode.size(); i++) {
                String choiceAt = choicesAt + "/" + i;
                JsonNode choice = choicesNode.get(i);
                if (!isObject(choice, choiceAt)) {
                    continue;
                }
                unknownFields(choice, choiceAt, CHOICE_FIELDS);
                String when = requiredString(choice, choiceAt, WHEN).orElse(null);
                if (when != null) {
                    checkExpression(when, pointer(choiceAt, WHEN), ExpressionType.BOOL);
                }
                String next = requiredString(choice, choiceAt, NEXT).orElse(null);
                choices.add(new Step.Choice(when, next));
            }
        }
        String defaultNext = requiredString(node, at, DEFAULT).orElse(null);
        return new Step.Condition(stepId, choices, defaultNext);
    }

    private Step readWait(String stepId, JsonNode node, String at) {
        boolean hasDuration = node.has(DURATION);
        boolean hasUntil = node.has(UNTIL);
        if (hasDuration == hasUntil) {
            problem(ProblemCode.WAIT_NEEDS_ONE, at, hasDuration
                    ? "Expected exactly one of duration and until, but found both"
                    : "Expected exactly one of duration and until, but found neither");
        }
        Duration duration = optionalString(node, at, DURATION)
                .flatMap(text -> duration(text, pointer(at, DURATION), LONGEST_TIMEOUT))
                .orElse(null);
        String until = optionalExpression(node, at, UNTIL, ExpressionType.TIMESTAMP);
        String next = requiredString(node, at, NEXT).orElse(null);
        return new Step.Wait(stepId, duration, until, next);
    }

    // ---- small readers: each records its own problem and returns empty ----

    private Optional<String> requiredString(JsonNode node, String at, String field) {
        if (!node.has(field)) {
            problem(ProblemCode.MISSING_FIELD, pointer(at, field), "Expected " + field + ", but there is none");
            return Optional.empty();
        }
        return optionalString(node, at, field);
    }

    private Optional<String> optionalString(JsonNode node, String at, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            wrongType(pointer(at, field), "a string", value);
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    private String optionalExpression(JsonNode node, String at, String field, ExpressionType type) {
        String source = optionalString(node, at, field).orElse(null);
        if (source != null) {
            checkExpression(source, pointer(at, field), type);
        }
        return source;
    }

    private Instant optionalInstant(JsonNode node, String field) {
        return optionalString(node, "", field).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeException e) {
                problem(ProblemCode.BAD_INSTANT, pointer("", field),
                        "Expected an ISO-8601 instant such as 2026-03-01T09:00:00Z, but found \"" + text + "\"");
                return null;
            }
        }).orElse(null);
    }

    private void checkExpression(String source, String at, ExpressionType type) {
        Expressions.check(source, type).ifPresent(message -> problem(ProblemCode.BAD_EXPRESSION, at, message));
    }

    private Optional<Duration> duration(String text, String at, Duration longest) {
        Optional<Duration> parsed = IsoDurations.parse(text);
        if (parsed.isEmpty()) {
            problem(ProblemCode.BAD_DURATION, at,
                    "Expected an ISO-8601 duration in weeks, days, hours, minutes or seconds (P1D, PT30M), but found \""
                            + text + "\"");
            return Optional.empty();
        }
        Duration duration = parsed.get();
        if (duration.isNegative() || duration.isZero()) {
            problem(ProblemCode.DURATION_OUT_OF_RANGE, at, "Expected a positive duration, but found \"" + text + "\"");
            return Optional.empty();
        }
        if (longest != null && duration.compareTo(longest) > 0) {
            problem(ProblemCode.DURATION_OUT_OF_RANGE, at,
                    "Expected at most " + longest.toDays() + " days, but found \"" + text + "\"");
            return Optional.empty();
        }
        return parsed;
    }

    private ZoneId zone(String text, String at) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            problem(ProblemCode.BAD_TIME_ZONE, at,
                    "Expected an IANA time zone such as Europe/Paris, but found \"" + text + "\"");
            return ZoneOffset.UTC;
        }
    }

    private boolean isObject(JsonNode node, String at) {
        if (!node.isObject()) {
            wrongType(at, "an object", node);
            return false;
        }
        return true;
    }

    private void unknownFields(JsonNode node, String at, Set<String> known) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problem(ProblemCode.UNKNOWN_FIELD, pointer(at, field), "Expected one of " + new java.util.TreeSet<>(known)
                        + ", but found unknown field \"" + field + "\"");
            }
        });
    }

    private void wrongType(String at, String expected, JsonNode found) {
        problem(ProblemCode.WRONG_TYPE, at,
                "Expected " + expected + ", but found " + found.getNodeType().name().toLowerCase() + " " + found);
    }

    private void problem(ProblemCode code, String at, String message) {
        problems.add(new Problem(code, at, message));
    }

    static String pointer(String parent, String field) {
        return parent + "/" + field.replace("~", "~0").replace("/", "~1");
    }
}
