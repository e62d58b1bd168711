package io.journeys.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON objects the engine reads and writes for every audience member and action (an export's columns, an
 * action's params) are flat: a few names with strings, integers, decimals, booleans or nulls. For those this
 * reads and writes the text directly, which costs a fraction of a Jackson parser or generator (each takes a
 * buffer from a thread-local pool and builds its contexts). Anything else — nesting, escapes, long integers,
 * anything it is not sure of — it declines (null), and {@link JsonValues} goes the Jackson way, so the values
 * and texts are exactly Jackson's (FlatJsonTest compares them).
 */
final class FlatJson {

    /** Integers of up to 18 digits are longs whatever they are; longer ones go the Jackson way. */
    private static final int MAX_LONG_DIGITS = 18;
    /**
     * Far below Jackson's read constraints (numbers of 1,000 characters, names of 50,000, strings of 20 million),
     * so that whatever Jackson would refuse goes to Jackson to refuse.
     */
    private static final int MAX_NUMBER_LENGTH = 100;
    private static final int MAX_STRING_LENGTH = 10_000;

    private FlatJson() {}

    /** The object's values as {@link JsonValues#objectFromText} gives them, or null when the text is not flat. */
    static Map<String, Object> read(String text) {
        int at = skipSpace(text, 0);
        if (at >= text.length() || text.charAt(at) != '{') {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        at = skipSpace(text, at + 1);
        if (at < text.length() && text.charAt(at) == '}') {
            return endsAt(text, at + 1) ? ExpressionMap.of(map) : null;
        }
        while (true) {
            int nameEnd = stringEnd(text, at);
            if (nameEnd < 0) {
                return null;
            }
            String name = text.substring(at + 1, nameEnd);
            at = skipSpace(text, nameEnd + 1);
            if (at >= text.length() || text.charAt(at) != ':') {
                return null;
            }
            at = skipSpace(text, at + 1);
            if (at >= text.length()) {
                return null;
            }
            char first = text.charAt(at);
            Object value;
            if (first == '"') {
                int end = stringEnd(text, at);
                if (end < 0) {
                    return null;
                }
                value = text.substring(at + 1, end);
                at = end + 1;
            } else if (first == '-' || (first >= '0' && first <= '9')) {
                int end = numberEnd(text, at);
                if (end < 0) {
                    return null;
                }
                value = number(text, at, end);
                if (value == null) {
                    return null;
                }
                at = end;
            } else if (text.startsWith("true", at)) {
                value = Boolean.TRUE;
                at += 4;
            } else if (text.startsWith("false", at)) {
                value = Boolean.FALSE;
                at += 5;
            } else if (text.startsWith("null", at)) {
                value = dev.cel.common.values.NullValue.NULL_VALUE;
                at += 4;
            } else {
                return null; // an object, an array, or not JSON
            }
            map.put(name, value);
            at = skipSpace(text, at);
            if (at >= text.length()) {
                return null;
            }
            char next = text.charAt(at);
            if (next == '}') {
                return endsAt(text, at + 1) ? ExpressionMap.of(map) : null;
            }
            if (next != ',') {
                return null;
            }
            at = skipSpace(text, at + 1);
        }
    }

    /**
     * A flat object's compact text as Jackson writes it, or null when {@code node} is not a flat object of
     * strings that need no escaping, ints, longs, booleans and nulls.
     */
    static String write(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        StringBuilder text = new StringBuilder(64).append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!plain(field.getKey())) {
                return null;
            }
            if (!first) {
                text.append(',');
            }
            first = false;
            text.append('"').append(field.getKey()).append("\":");
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                if (!plain(value.textValue())) {
                    return null;
                }
                text.append('"').append(value.textValue()).append('"');
            } else if (value.isInt() || value.isLong()) {
                text.append(value.longValue());
            } else if (value.isBoolean()) {
                text.append(value.booleanValue());
            } else if (value.isNull()) {
                text.append("null");
            } else {
                return null; // decimals, big numbers, nesting: Jackson's own formatting
            }
        }
        return text.append('}').toString();
    }

    /** No character Jackson would escape: quotes, backslashes and control characters. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Where the string opening at {@code at} closes, or -1 when it does not, or has an escape or a control character. */
    private static int stringEnd(String text, int at) {
        if (at >= text.length() || text.charAt(at) != '"') {
            return -1;
        }
        int last = Math.min(text.length(), at + 1 + MAX_STRING_LENGTH + 1);
        for (int i = at + 1; i < last; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The end of a JSON number ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}) starting at {@code at}, or -1. */
    private static int numberEnd(String text, int at) {
        int i = at;
        if (i < text.length() && text.charAt(i) == '-') {
            i++;
        }
        int digits = digits(text, i);
        if (digits == 0 || (digits > 1 && text.charAt(i) == '0')) {
            return -1;
        }
        i += digits;
        if (i < text.length() && text.charAt(i) == '.') {
            int fraction = digits(text, i + 1);
            if (fraction == 0) {
                return -1;
            }
            i += 1 + fraction;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponent = digits(text, i);
            if (exponent == 0) {
                return -1;
            }
            i += exponent;
        }
        return i - at <= MAX_NUMBER_LENGTH ? i : -1;
    }

    /** An integer as a long, a decimal as a double (Jackson's getDoubleValue parses with Double.parseDouble), or null. */
    private static Object number(String text, int from, int to) {
        String number = text.substring(from, to);
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return Double.parseDouble(number);
            }
        }
        int digits = number.charAt(0) == '-' ? number.length() - 1 : number.length();
        return digits <= MAX_LONG_DIGITS ? Long.parseLong(number) : null;
    }

    private static int digits(String text, int at) {
        int i = at;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - at;
    }

    /** JSON's whitespace. */
    private static int skipSpace(String text, int at) {
        int i = at;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Nothing but whitespace after the object: with anything else the text is Jackson's to judge. */
    private static boolean endsAt(String text, int at) {
        return skipSpace(text, at) == text.length();
    }
}
