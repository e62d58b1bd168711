package io.journeys.dsl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.expr.ExpressionProblem;
import io.journeys.expr.ExpressionType;
import io.journeys.expr.Expressions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What readers of JSON documents (journeys, action definitions) share: the problems found so far, each
 * with a code and a JSON pointer, and field readers that record a problem instead of failing.
 */
abstract class DocumentReader {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    final List<Problem> problems = new ArrayList<>();

    /** The document's JSON object, or null with the problem recorded when it is not one. */
    final JsonNode readRoot(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            problem(ProblemCode.INVALID_JSON, "", "Expected a JSON object, but the text does not parse: "
                    + e.getOriginalMessage());
            return null;
        }
        if (root == null || !root.isObject()) {
            problem(ProblemCode.INVALID_JSON, "", "Expected a JSON object, but found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        return root;
    }

    final Optional<String> requiredString(JsonNode node, String at, String field) {
        if (!node.has(field)) {
            problem(ProblemCode.MISSING_FIELD, pointer(at, field), "Expected " + field + ", but there is none");
            return Optional.empty();
        }
        return optionalString(node, at, field);
    }

    final Optional<String> optionalString(JsonNode node, String at, String field) {
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

    /** A positive duration of at most {@code longest} (when not null). */
    final Optional<Duration> duration(String text, String at, Duration longest) {
        return duration(text, at, false, longest);
    }

    /** A positive duration or zero: a re-entry wait period of PT0S lets a profile re-enter at once. */
    final Optional<Duration> durationOrZero(String text, String at, Duration longest) {
        return duration(text, at, true, longest);
    }

    private Optional<Duration> duration(String text, String at, boolean zeroAllowed, Duration longest) {
        Optional<Duration> parsed = IsoDurations.parse(text);
        if (parsed.isEmpty()) {
            problem(ProblemCode.BAD_DURATION, at,
                    "Expected an ISO-8601 duration in weeks, days, hours, minutes or seconds (P1D, PT30M), but found \""
                            + text + "\"");
            return Optional.empty();
        }
        Duration duration = parsed.get();
        if (duration.isNegative() || (duration.isZero() && !zeroAllowed)) {
            problem(ProblemCode.DURATION_OUT_OF_RANGE, at, "Expected " + (zeroAllowed ? "PT0S or " : "")
                    + "a positive duration, but found \"" + text + "\"");
            return Optional.empty();
        }
        if (longest != null && duration.compareTo(longest) > 0) {
            problem(ProblemCode.DURATION_OUT_OF_RANGE, at,
                    "Expected at most " + longest.toDays() + " days, but found \"" + text + "\"");
            return Optional.empty();
        }
        return parsed;
    }

    /** A non-empty array's items; records the problem and returns none when it is missing, not an array or empty. */
    final List<JsonNode> requiredArray(JsonNode node, String at, String field) {
        JsonNode array = node.get(field);
        String arrayAt = pointer(at, field);
        List<JsonNode> items = new ArrayList<>();
        if (array == null) {
            problem(ProblemCode.MISSING_FIELD, arrayAt, "Expected " + field + ", but there are none");
        } else if (!array.isArray()) {
            wrongType(arrayAt, "an array", array);
        } else if (array.isEmpty()) {
            problem(ProblemCode.EMPTY_LIST, arrayAt, "Expected at least one item in " + field + ", but there is none");
        } else {
            array.forEach(items::add);
        }
        return items;
    }

    /** A whole number in [least, most]; missing, {@code otherwise}, or a problem when that is null. */
    final long wholeNumber(JsonNode node, String at, String field, long least, long most, Long otherwise,
            ProblemCode code) {
        JsonNode value = node.get(field);
        if (value == null) {
            if (otherwise == null) {
                problem(ProblemCode.MISSING_FIELD, pointer(at, field), "Expected " + field + ", but there is none");
                return least;
            }
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < least
                || value.longValue() > most) {
            problem(code, pointer(at, field), "Expected a whole number from " + least + " to " + most + ", but found "
                    + value);
            return least;
        }
        return value.longValue();
    }

    final boolean optionalBoolean(JsonNode node, String at, String field, boolean otherwise) {
        JsonNode value = node.get(field);
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            wrongType(pointer(at, field), "a boolean", value);
            return otherwise;
        }
        return value.booleanValue();
    }

    final String optionalExpression(JsonNode node, String at, String field, ExpressionType type) {
        String source = optionalString(node, at, field).orElse(null);
        if (source != null) {
            checkExpression(source, pointer(at, field), type);
        }
        return source;
    }

    final void checkExpression(String source, String at, ExpressionType type) {
        for (ExpressionProblem found : Expressions.check(source, type)) {
            problem(found.kind() == ExpressionProblem.Kind.OVER_LIMIT ? ProblemCode.EXPRESSION_OVER_LIMIT
                    : ProblemCode.BAD_EXPRESSION, at, found.message());
        }
    }

    /** A percent of a split or an experiment: in (0, 100] with at most two decimals. */
    final double percent(JsonNode item, String itemAt) {
        JsonNode percentNode = item.get(JourneyFields.PERCENT);
        String at = pointer(itemAt, JourneyFields.PERCENT);
        if (percentNode == null) {
            problem(ProblemCode.MISSING_FIELD, at, "Expected percent, but there is none");
            return 0;
        }
        if (!percentNode.isNumber()) {
            wrongType(at, "a number", percentNode);
            return 0;
        }
        double percent = percentNode.doubleValue();
        if (percent <= 0 || percent > 100 || Math.abs(percent * 100 - Math.round(percent * 100)) > 1e-9) {
            problem(ProblemCode.BAD_SPLIT, at,
                    "Expected a percent in (0, 100] with at most two decimals, but found " + percentNode);
        }
        return percent;
    }

    final void percentsSumTo100(List<JsonNode> items, double total, String at) {
        if (!items.isEmpty() && Math.abs(total - 100) > 1e-6) {
            problem(ProblemCode.BAD_SPLIT, at, "Expected percents summing to 100, but they sum to " + total);
        }
    }

    final boolean isObject(JsonNode node, String at) {
        if (!node.isObject()) {
            wrongType(at, "an object", node);
            return false;
        }
        return true;
    }

    final void unknownFields(JsonNode node, String at, Set<String> known) {
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problem(ProblemCode.UNKNOWN_FIELD, pointer(at, field), "Expected one of " + new java.util.TreeSet<>(known)
                        + ", but found unknown field \"" + field + "\"");
            }
        });
    }

    final void wrongType(String at, String expected, JsonNode found) {
        problem(ProblemCode.WRONG_TYPE, at,
                "Expected " + expected + ", but found " + found.getNodeType().name().toLowerCase() + " " + found);
    }

    final void problem(ProblemCode code, String at, String message) {
        problems.add(new Problem(code, at, message));
    }

    static String pointer(String parent, String field) {
        return parent + "/" + field.replace("~", "~0").replace("/", "~1");
    }
}
