package io.journeys.dsl;

import static io.journeys.dsl.JourneyFields.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.expr.ExpressionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one step of a journey, each type by its own reader; problems go to the journey parser's list, each with
 * its code and JSON pointer.
 */
final class StepReader {

    private final DocumentReader reader;

    StepReader(DocumentReader reader) {
        this.reader = reader;
    }

    Optional<Step> read(String stepId, JsonNode node, String at) {
        if (!reader.isObject(node, at)) {
            return Optional.empty();
        }
        Optional<String> typeName = reader.requiredString(node, at, TYPE);
        if (typeName.isEmpty()) {
            return Optional.empty();
        }
        Optional<StepType> type = StepType.fromJson(typeName.get());
        if (type.isEmpty()) {
            reader.problem(ProblemCode.UNKNOWN_STEP_TYPE, DocumentReader.pointer(at, TYPE), "Expected one of "
                    + Arrays.stream(StepType.values()).map(StepType::jsonName).toList()
                    + ", but found \"" + typeName.get() + "\"");
            return Optional.empty();
        }
        Set<String> allowed = new HashSet<>(COMMON_STEP);
        allowed.addAll(stepFields(type.get()));
        reader.unknownFields(node, at, allowed);
        reader.optionalString(node, at, NAME);
        reader.optionalString(node, at, DESCRIPTION);
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
            case EXPERIMENT -> new ExperimentReader(reader).readExperiment(stepId, node, at);
            case WINDOW -> readWindow(stepId, node, at);
            case END -> new Step.End(stepId);
        });
    }

    private Step readAction(String stepId, JsonNode node, String at) {
        Channel channel = reader.requiredString(node, at, CHANNEL)
                .map(text -> Channel.fromJson(text).orElseGet(() -> {
                    reader.problem(ProblemCode.UNKNOWN_CHANNEL, DocumentReader.pointer(at, CHANNEL),
                            "Expected one of email, push, sms, inApp, custom, but found \"" + text + "\"");
                    return null;
                }))
                .orElse(null);
        String template = reader.optionalString(node, at, TEMPLATE).orElse(null);
        Map<String, String> params = expressionMap(node, at, PARAMS);
        String next = reader.requiredString(node, at, NEXT).orElse(null);
        boolean ruled = reader.optionalBoolean(node, at, RULES, true);
        Step.SendTime sendTime = null;
        if (node.has(SEND_TIME)) {
            String sendAt = DocumentReader.pointer(at, SEND_TIME);
            if (node.get(SEND_TIME).has(CHANNEL)) {
                reader.problem(ProblemCode.UNKNOWN_FIELD, DocumentReader.pointer(sendAt, CHANNEL),
                        "Expected no channel in an action's sendTime (the action's own is used), but found one");
            }
            if (channel != null && channel != Channel.EMAIL && channel != Channel.PUSH) {
                reader.problem(ProblemCode.BAD_SEND_TIME, sendAt, "Expected sendTime on an email or push action, but"
                        + " the channel is " + channel.jsonName());
            }
            sendTime = readSendTime(node.get(SEND_TIME), sendAt, channel == Channel.PUSH ? Channel.PUSH : Channel.EMAIL);
        }
        return new Step.Action(stepId, channel, template, params, next, reader.optionalString(node, at, ON_ERROR).orElse(null),
                ruled, sendTime);
    }

    /** A sendTime: {@code optimize} opens (default) or clicks (email only), {@code within} PT2H to P7D. */
    private Step.SendTime readSendTime(JsonNode node, String at, Channel channel) {
        if (!reader.isObject(node, at)) {
            return null;
        }
        reader.unknownFields(node, at, SEND_TIME_FIELDS);
        String optimize = reader.optionalString(node, at, OPTIMIZE).orElse("opens");
        if (!optimize.equals("opens") && !optimize.equals("clicks")) {
            reader.problem(ProblemCode.BAD_SEND_TIME, DocumentReader.pointer(at, OPTIMIZE),
                    "Expected optimize opens or clicks, but found \"" + optimize + "\"");
        }
        Channel chosen = reader.optionalString(node, at, CHANNEL).map(text -> Channel.fromJson(text)
                .filter(c -> c == Channel.EMAIL || c == Channel.PUSH).orElseGet(() -> {
                    reader.problem(ProblemCode.BAD_SEND_TIME, DocumentReader.pointer(at, CHANNEL),
                            "Expected channel email or push, but found \"" + text + "\"");
                    return Channel.EMAIL;
                })).orElse(channel);
        if (optimize.equals("clicks") && chosen == Channel.PUSH) {
            reader.problem(ProblemCode.BAD_SEND_TIME, DocumentReader.pointer(at, OPTIMIZE),
                    "Expected optimize opens for push, which has no clicks, but found clicks");
        }
        Duration within = reader.requiredString(node, at, WITHIN)
                .flatMap(text -> reader.duration(text, DocumentReader.pointer(at, WITHIN), Step.SendTime.LONGEST))
                .orElse(null);
        if (within != null && within.compareTo(Step.SendTime.SHORTEST) < 0) {
            reader.problem(ProblemCode.BAD_SEND_TIME, DocumentReader.pointer(at, WITHIN),
                    "Expected a within from PT2H to P7D, but found " + within);
        }
        return new Step.SendTime(optimize, within, chosen);
    }

    private Step readWindow(String stepId, JsonNode node, String at) {
        PeriodReader periods = new PeriodReader(reader);
        WeeklyPeriod period = periods.period(node, at);
        ZoneChoice zone = periods.zone(node, at);
        return new Step.Window(stepId, period, zone, reader.requiredString(node, at, NEXT).orElse(null));
    }

    private Step readCondition(String stepId, JsonNode node, String at) {
        List<Step.Choice> choices = new ArrayList<>();
        JsonNode choicesNode = node.get(CHOICES);
        String choicesAt = DocumentReader.pointer(at, CHOICES);
        if (choicesNode == null) {
            reader.problem(ProblemCode.MISSING_FIELD, choicesAt, "Expected choices, but there are none");
        } else if (!choicesNode.isArray()) {
            reader.wrongType(choicesAt, "an array", choicesNode);
        } else if (choicesNode.isEmpty()) {
            reader.problem(ProblemCode.EMPTY_LIST, choicesAt, "Expected at least one choice, but there is none");
        } else {
            for (int i = 0; i < choicesNode.size(); i++) {
                String choiceAt = choicesAt + "/" + i;
                JsonNode choice = choicesNode.get(i);
                if (!reader.isObject(choice, choiceAt)) {
                    continue;
                }
                reader.unknownFields(choice, choiceAt, CHOICE_FIELDS);
                String when = reader.requiredString(choice, choiceAt, WHEN).orElse(null);
                if (when != null) {
                    reader.checkExpression(when, DocumentReader.pointer(choiceAt, WHEN), ExpressionType.BOOL);
                }
                String next = reader.requiredString(choice, choiceAt, NEXT).orElse(null);
                choices.add(new Step.Choice(when, next));
            }
        }
        String defaultNext = reader.requiredString(node, at, DEFAULT).orElse(null);
        return new Step.Condition(stepId, choices, defaultNext, reader.optionalString(node, at, ON_ERROR).orElse(null));
    }

    private Step readWait(String stepId, JsonNode node, String at) {
        int given = (node.has(DURATION) ? 1 : 0) + (node.has(UNTIL) ? 1 : 0) + (node.has(SEND_TIME) ? 1 : 0);
        if (given != 1) {
            reader.problem(ProblemCode.WAIT_NEEDS_ONE, at, given > 1
                    ? "Expected exactly one of duration, until and sendTime, but found " + given
                    : "Expected exactly one of duration, until and sendTime, but found none");
        }
        Step.SendTime sendTime = node.has(SEND_TIME)
                ? readSendTime(node.get(SEND_TIME), DocumentReader.pointer(at, SEND_TIME), Channel.EMAIL) : null;
        Duration duration = reader.optionalString(node, at, DURATION)
                .flatMap(text -> reader.duration(text, DocumentReader.pointer(at, DURATION), JourneyParser.LONGEST_TIMEOUT))
                .orElse(null);
        String until = reader.optionalExpression(node, at, UNTIL, ExpressionType.TIMESTAMP);
        String next = reader.requiredString(node, at, NEXT).orElse(null);
        return new Step.Wait(stepId, duration, until, next, reader.optionalString(node, at, ON_ERROR).orElse(null),
                sendTime);
    }

    private Step readSplit(String stepId, JsonNode node, String at) {
        List<Step.Branch> branches = new ArrayList<>();
        String branchesAt = DocumentReader.pointer(at, BRANCHES);
        List<JsonNode> items = reader.requiredArray(node, at, BRANCHES);
        double total = 0;
        for (int i = 0; i < items.size(); i++) {
            String branchAt = branchesAt + "/" + i;
            JsonNode branch = items.get(i);
            if (!reader.isObject(branch, branchAt)) {
                continue;
            }
            reader.unknownFields(branch, branchAt, BRANCH_FIELDS);
            double percent = reader.percent(branch, branchAt);
            total += percent;
            branches.add(new Step.Branch(percent, reader.requiredString(branch, branchAt, NEXT).orElse(null)));
        }
        reader.percentsSumTo100(items, total, branchesAt);
        return new Step.Split(stepId, branches);
    }

    private Step readAwait(String stepId, JsonNode node, String at) {
        List<Step.Reaction> reactions = new ArrayList<>();
        String eventsAt = DocumentReader.pointer(at, EVENTS);
        List<JsonNode> items = reader.requiredArray(node, at, EVENTS);
        for (int i = 0; i < items.size(); i++) {
            String reactionAt = eventsAt + "/" + i;
            JsonNode reaction = items.get(i);
            if (!reader.isObject(reaction, reactionAt)) {
                continue;
            }
            reader.unknownFields(reaction, reactionAt, REACTION_FIELDS);
            String event = reader.requiredString(reaction, reactionAt, EVENT).orElse(null);
            String when = reader.optionalExpression(reaction, reactionAt, WHEN, ExpressionType.BOOL);
            String to = reader.optionalString(reaction, reactionAt, TO).orElse(null);
            String next = reader.requiredString(reaction, reactionAt, NEXT).orElse(null);
            reactions.add(new Step.Reaction(event, when, to, next));
        }
        Duration timeout = reader.requiredString(node, at, TIMEOUT)
                .flatMap(text -> reader.duration(text, DocumentReader.pointer(at, TIMEOUT), JourneyParser.LONGEST_TIMEOUT))
                .orElse(null);
        String onTimeout = reader.requiredString(node, at, ON_TIMEOUT).orElse(null);
        return new Step.Await(stepId, reactions, timeout, onTimeout, reader.optionalString(node, at, ON_ERROR).orElse(null));
    }

    private Step readJump(String stepId, JsonNode node, String at) {
        String journey = reader.requiredString(node, at, JOURNEY_FIELD).orElse(null);
        if (journey != null && !JourneyParser.JOURNEY_ID.matcher(journey).matches()) {
            reader.problem(ProblemCode.BAD_ID, DocumentReader.pointer(at, JOURNEY_FIELD),
                    "Expected a journey id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + journey + "\"");
        }
        return new Step.Jump(stepId, journey, reader.requiredString(node, at, NEXT).orElse(null));
    }

    private Step readCall(String stepId, JsonNode node, String at) {
        String action = reader.requiredString(node, at, ACTION_FIELD).orElse(null);
        if (action != null && !JourneyParser.JOURNEY_ID.matcher(action).matches()) {
            reader.problem(ProblemCode.BAD_ID, DocumentReader.pointer(at, ACTION_FIELD),
                    "Expected an action id matching [a-z0-9][a-z0-9._-]{0,63}, but found \"" + action + "\"");
        }
        Map<String, String> params = expressionMap(node, at, PARAMS);
        String next = reader.requiredString(node, at, NEXT).orElse(null);
        return new Step.Call(stepId, action, params, next, reader.optionalString(node, at, ON_ERROR).orElse(null),
                reader.optionalString(node, at, ON_TIMEOUT).orElse(null));
    }

    private Step readCap(String stepId, JsonNode node, String at) {
        JsonNode limitNode = node.get(LIMIT);
        long limit = 0;
        if (limitNode == null) {
            reader.problem(ProblemCode.MISSING_FIELD, DocumentReader.pointer(at, LIMIT), "Expected limit, but there is none");
        } else if (!limitNode.isIntegralNumber() || !limitNode.canConvertToLong() || limitNode.longValue() < 0) {
            reader.problem(ProblemCode.BAD_LIMIT, DocumentReader.pointer(at, LIMIT),
                    "Expected a limit that is an integer of 0 or more, but found " + limitNode);
        } else {
            limit = limitNode.longValue();
        }
        String next = reader.requiredString(node, at, NEXT).orElse(null);
        String overflow = reader.requiredString(node, at, OVERFLOW).orElse(null);
        return new Step.Cap(stepId, limit, next, overflow);
    }

    private Step readUpdateProfile(String stepId, JsonNode node, String at) {
        if (!node.has(SET)) {
            reader.problem(ProblemCode.MISSING_FIELD, DocumentReader.pointer(at, SET), "Expected set, but there is none");
        }
        Map<String, String> set = expressionMap(node, at, SET);
        if (node.has(SET) && node.get(SET).isObject() && node.get(SET).isEmpty()) {
            reader.problem(ProblemCode.EMPTY_LIST, DocumentReader.pointer(at, SET), "Expected at least one attribute to set, but there is none");
        }
        String next = reader.requiredString(node, at, NEXT).orElse(null);
        return new Step.UpdateProfile(stepId, set, next, reader.optionalString(node, at, ON_ERROR).orElse(null));
    }

    /** An object of name: expression, each expression checked. */
    private Map<String, String> expressionMap(JsonNode node, String at, String field) {
        Map<String, String> expressions = new LinkedHashMap<>();
        JsonNode mapNode = node.get(field);
        String mapAt = DocumentReader.pointer(at, field);
        if (mapNode != null && reader.isObject(mapNode, mapAt)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = mapNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String entryAt = DocumentReader.pointer(mapAt, entry.getKey());
                if (!entry.getValue().isTextual()) {
                    reader.wrongType(entryAt, "an expression string", entry.getValue());
                    continue;
                }
                reader.checkExpression(entry.getValue().textValue(), entryAt, ExpressionType.ANY);
                expressions.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        return expressions;
    }

    // ---- small readers: each records its own problem and returns empty ----
}
