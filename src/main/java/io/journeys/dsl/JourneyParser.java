package io.journeys.dsl;

import static io.journeys.dsl.JourneyFields.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.expr.ExpressionProblem;
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
public final class JourneyParser extends DocumentReader {

    public static final Duration LONGEST_TIMEOUT = Duration.ofDays(91);
    static final Duration DEFAULT_WAIT_PERIOD = Duration.ofMinutes(5);

    private static final Pattern JOURNEY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Default guard rail: the most steps one journey may have. */
    public static final int DEFAULT_MAX_STEPS = 200;

    private final int maxSteps;

    private JourneyParser(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    public static ParseResult parse(String document) {
        return parse(document, DEFAULT_MAX_STEPS);
    }

    /** Parses with a guard rail on the number of steps. */
    public static ParseResult parse(String document, int maxSteps) {
        return new JourneyParser(maxSteps).read(document);
    }

    private ParseResult read(String document) {
        JsonNode root = readRoot(document);
        if (root == null) {
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
        boolean useProfileTimeZone = optionalBoolean(root, "", USE_PROFILE_TIME_ZONE, false);
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
        if (steps.size() > maxSteps) {
            problem(ProblemCode.TOO_MANY_STEPS, pointer("", STEPS),
                    "Expected at most " + maxSteps + " steps, but found " + steps.size());
        }
        ExperimentReader experiments = new ExperimentReader(this);
        List<Journey.Goal> goals = experiments.readGoals(root.get(GOALS));
        experiments.checkGoalsOf(steps, goals);
        new GraphChecker(problems).check(start, steps);
        return new Journey(id, version, name, status, zone, useProfileTimeZone, reentry, timeout, entry, startAt, endAt, publishedAt,
                exits, start, steps, goals, document);
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
        boolean allowed = optionalBoolean(node, at, ALLOWED, true);
        Duration waitPeriod = optionalString(node, at, WAIT_PERIOD)
                .flatMap(text -> durationOrZero(text, pointer(at, WAIT_PERIOD), null))
                .orElse(DEFAULT_WAIT_PERIOD);
        return new Journey.Reentry(allowed, waitPeriod);
    }

    /** Highest accepted audience entry rate, profiles per second per journey. */
    static final int MAX_RATE = 1_000_000;

    private Journey.Entry readEntry(JsonNode node) {
        String at = pointer("", ENTRY);
        if (node == null) {
            problem(ProblemCode.MISSING_FIELD, at, "Expected an entry, but there is none");
            return null;
        }
        if (!isObject(node, at)) {
            return null;
        }
        EntryType type = optionalString(node, at, TYPE).map(name -> EntryType.fromJson(name).orElseGet(() -> {
            problem(ProblemCode.BAD_ENTRY_TYPE, pointer(at, TYPE),
                    "Expected entry type event, audience or qualification, but found \"" + name + "\"");
            return null;
        })).orElse(EntryType.EVENT);
        if (type == null) {
            return null;
        }
        unknownFields(node, at, entryFields(type));
        String when = optionalExpression(node, at, WHEN, ExpressionType.BOOL);
        switch (type) {
            case AUDIENCE -> {
                String audience = requiredString(node, at, AUDIENCE).orElse(null);
                int rate = Journey.Entry.DEFAULT_RATE;
                JsonNode rateNode = node.get(RATE);
                if (rateNode != null) {
                    if (!rateNode.isIntegralNumber() || rateNode.asLong() < 1 || rateNode.asLong() > MAX_RATE) {
                        problem(ProblemCode.BAD_ENTRY_TYPE, pointer(at, RATE), "Expected a rate from 1 to " + MAX_RATE
                                + " profiles per second, but found " + rateNode);
                    } else {
                        rate = rateNode.intValue();
                    }
                }
                String recurrence = optionalString(node, at, RECURRENCE).orElse("every-export");
                if (!recurrence.equals("once") && !recurrence.equals("every-export")) {
                    problem(ProblemCode.BAD_ENTRY_TYPE, pointer(at, RECURRENCE),
                            "Expected recurrence once or every-export, but found \"" + recurrence + "\"");
                }
                boolean incremental = optionalBoolean(node, at, INCREMENTAL, false);
                return new Journey.Entry(type, null, when, audience, null, rate, recurrence.equals("once"), incremental);
            }
            case QUALIFICATION -> {
                String audience = requiredString(node, at, AUDIENCE).orElse(null);
                String on = optionalString(node, at, ON).orElse("enter");
                if (!on.equals("enter") && !on.equals("exit")) {
                    problem(ProblemCode.BAD_ENTRY_TYPE, pointer(at, ON), "Expected on enter or exit, but found \"" + on
                            + "\"");
                }
                return new Journey.Entry(type, null, when, audience, on, Journey.Entry.DEFAULT_RATE, false, false);
            }
            default -> {
                String event = requiredString(node, at, EVENT).orElse(null);
                return new Journey.Entry(event, when);
            }
        }
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
            if (item.has(AUDIENCE_EXIT)) {
                if (item.has(EVENT) || item.has(WHEN)) {
                    problem(ProblemCode.WRONG_TYPE, itemAt,
                            "Expected either an event (with an optional when) or an audienceExit, but found both");
                }
                exits.add(new Journey.ExitCriterion(null, null,
                        requiredString(item, itemAt, AUDIENCE_EXIT).orElse(null)));
                continue;
            }
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
            problem(ProblemCode.UNKNOWN_STEP_TYPE, pointer(at, TYPE), "Expected one of "
                    + java.util.Arrays.stream(StepType.values()).map(StepType::jsonName).toList()
                    + ", but found \"" + typeName.get() + "\"");
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
            case SPLIT -> readSplit(stepId, node, at);
            case AWAIT -> readAwait(stepId, node, at);
            case UPDATE_PROFILE -> readUpdateProfile(stepId, node, at);
            case JUMP -> readJump(stepId, node, at);
            case CALL -> readCall(stepId, node, at);
            case CAP -> readCap(stepId, node, at);
            case EXPERIMENT -> new ExperimentReader(this).readExperiment(stepId, node, at);
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
        Map<String, String> params = expressionMap(node, at, PARAMS);
        String next = requiredString(node, at, NEXT).orElse(null);
        return new Step.Action(stepId, channel, template, params, next, optionalString(node, at, ON_ERROR).orElse(null));
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
        return new Step.Condition(stepId, choices, defaultNext, optionalString(node, at, ON_ERROR).orElse(null));
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
        return new Step.Wait(stepId, duration, until, next, optionalString(node, at, ON_ERROR).orElse(null));
    }

    private Step readSplit(String stepId, JsonNode node, String at) {
        List<Step.Branch> branches = new ArrayList<>();
        String branchesAt = pointer(at, BRANCHES);
        List<JsonNode> items = requiredArray(node, at, BRANCHES);
        double total = 0;
        for (int i = 0; i < items.size(); i++) {
            String branchAt = branchesAt + "/" + i;
            JsonNode branch = items.get(i);
            if (!isObject(branch, branchAt)) {
                continue;
            }
            unknownFields(branch, branchAt, BRANCH_FIELDS);
            double percent = percent(branch, branchAt);
            total += percent;
            branches.add(new Step.Branch(percent, requiredString(branch, branchAt, NEXT).orElse(null)));
        }
        percentsSumTo100(items, total, branchesAt);
        return new Step.Split(stepId, branches);
    }

    private Step readAwait(String stepId, JsonNode node, String at) {
        List<Step.Reaction> reactions = new ArrayList<>();
        String eventsAt = pointer(at, EVENTS);
        List<JsonNode> items = requiredArray(node, at, EVENTS);
        for (int i = 0; i < items.size(); i++) {
            String reactionAt = eventsAt + "/" + i;
            JsonNode reaction = items.get(i);
            if (!isObject(reaction, reactionAt)) {
                continue;
            }
            unknownFields(reaction, reactionAt, REACTION_FIELDS);
            String event = requiredString(reaction, reactionAt, EVENT).orElse(null);
            String when = optionalExpression(reaction, reactionAt, WHEN, ExpressionType.BOOL);
            String to = optionalString(reaction, reactionAt, TO).orElse(null);
            String next = requiredString(reaction, reactionAt, NEXT).orElse(null);
            reactions.add(new Step.Reaction(event, when, to, next));
        }
        Duration timeout = requiredString(node, at, TIMEOUT)
                .flatMap(text -> duration(text, pointer(at, TIMEOUT), LONGEST_TIMEOUT))
                .orElse(null);
        String onTimeout = requiredString(node, at, ON_TIMEOUT).orElse(null);
        return new Step.Await(stepId, reactions, timeout, onTimeout, optionalString(node, at, ON_ERROR).orElse(null));
    }

    private Step readJump(String stepId, JsonNode node, String at) {
        String journey = requiredString(node, at, JOURNEY_FIELD).orElse(null);
        if (journey != null && !JOURNEY_ID.matcher(journey).matches()) {
            problem(ProblemCode.BAD_ID, pointer(at, JOURNEY_FIELD),
                    "Expected a journey id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + journey + "\"");
        }
        return new Step.Jump(stepId, journey, requiredString(node, at, NEXT).orElse(null));
    }

    private Step readCall(String stepId, JsonNode node, String at) {
        String action = requiredString(node, at, ACTION_FIELD).orElse(null);
        if (action != null && !JOURNEY_ID.matcher(action).matches()) {
            problem(ProblemCode.BAD_ID, pointer(at, ACTION_FIELD),
                    "Expected an action id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + action + "\"");
        }
        Map<String, String> params = expressionMap(node, at, PARAMS);
        String next = requiredString(node, at, NEXT).orElse(null);
        return new Step.Call(stepId, action, params, next, optionalString(node, at, ON_ERROR).orElse(null),
                optionalString(node, at, ON_TIMEOUT).orElse(null));
    }

    private Step readCap(String stepId, JsonNode node, String at) {
        JsonNode limitNode = node.get(LIMIT);
        long limit = 0;
        if (limitNode == null) {
            problem(ProblemCode.MISSING_FIELD, pointer(at, LIMIT), "Expected limit, but there is none");
        } else if (!limitNode.isIntegralNumber() || !limitNode.canConvertToLong() || limitNode.longValue() < 0) {
            problem(ProblemCode.BAD_LIMIT, pointer(at, LIMIT),
                    "Expected a limit that is an integer of 0 or more, but found " + limitNode);
        } else {
            limit = limitNode.longValue();
        }
        String next = requiredString(node, at, NEXT).orElse(null);
        String overflow = requiredString(node, at, OVERFLOW).orElse(null);
        return new Step.Cap(stepId, limit, next, overflow);
    }

    private Step readUpdateProfile(String stepId, JsonNode node, String at) {
        if (!node.has(SET)) {
            problem(ProblemCode.MISSING_FIELD, pointer(at, SET), "Expected set, but there is none");
        }
        Map<String, String> set = expressionMap(node, at, SET);
        if (node.has(SET) && node.get(SET).isObject() && node.get(SET).isEmpty()) {
            problem(ProblemCode.EMPTY_LIST, pointer(at, SET), "Expected at least one attribute to set, but there is none");
        }
        String next = requiredString(node, at, NEXT).orElse(null);
        return new Step.UpdateProfile(stepId, set, next, optionalString(node, at, ON_ERROR).orElse(null));
    }

    /** An object of name: expression, each expression checked. */
    private Map<String, String> expressionMap(JsonNode node, String at, String field) {
        Map<String, String> expressions = new LinkedHashMap<>();
        JsonNode mapNode = node.get(field);
        String mapAt = pointer(at, field);
        if (mapNode != null && isObject(mapNode, mapAt)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = mapNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String entryAt = pointer(mapAt, entry.getKey());
                if (!entry.getValue().isTextual()) {
                    wrongType(entryAt, "an expression string", entry.getValue());
                    continue;
                }
                checkExpression(entry.getValue().textValue(), entryAt, ExpressionType.ANY);
                expressions.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        return expressions;
    }

    // ---- small readers: each records its own problem and returns empty ----

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

    private ZoneId zone(String text, String at) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            problem(ProblemCode.BAD_TIME_ZONE, at,
                    "Expected an IANA time zone such as Europe/Paris, but found \"" + text + "\"");
            return ZoneOffset.UTC;
        }
    }

}
