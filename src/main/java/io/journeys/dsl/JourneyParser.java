package io.journeys.dsl;

import static io.journeys.dsl.JourneyFields.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.expr.ExpressionType;
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

    static final Pattern JOURNEY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
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
                        "Expected kind journey, action or rules, but found \"" + kind + "\"");
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
        String rules = optionalString(root, "", RULES).orElse(null);
        if (rules != null && !JOURNEY_ID.matcher(rules).matches()) {
            problem(ProblemCode.BAD_ID, pointer("", RULES),
                    "Expected a rule set id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + rules + "\"");
        }
        int priority = (int) wholeNumber(root, "", PRIORITY, 0, 100, (long) Journey.DEFAULT_PRIORITY, ProblemCode.BAD_RULE);
        return new Journey(id, version, name, status, zone, useProfileTimeZone, reentry, timeout, entry, startAt, endAt, publishedAt,
                exits, start, steps, goals, rules, priority, document);
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
        StepReader stepReader = new StepReader(this);
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
            stepReader.read(stepId, field.getValue(), stepAt).ifPresent(step -> steps.put(stepId, step));
        }
        return steps;
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
