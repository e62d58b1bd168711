package io.journeys.expr;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.values.NullValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between JSON and expression values. JSON integers become CEL ints and other numbers CEL
 * doubles; comparisons between the two are enabled, so {@code profile.logins > 2} holds for 5 and 5.0.
 * Objects become {@link ExpressionMap}s, which CEL reads without converting them.
 */
public final class JsonValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {}

    /**
     * Reads a JSON object's text as an expression map; empty text or "null" gives an empty map. Streamed
     * straight into maps (no JSON tree in between): this runs for every payload the engine reads.
     */
    public static Map<String, Object> objectFromText(String text) {
        if (text == null || text.isEmpty() || text.equals("{}")) {
            return ExpressionMap.empty();
        }
        Map<String, Object> flat = FlatJson.read(text);
        return flat != null ? flat : objectByJackson(text);
    }

    /** What {@link #objectFromText} gives any text; {@link FlatJson} gives the same for flat ones, faster. */
    static Map<String, Object> objectByJackson(String text) {
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? readObject(parser) : ExpressionMap.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Expected a JSON object stored by the engine itself, but it does not parse", e);
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, readValue(parser));
        }
        return ExpressionMap.of(map);
    }

    private static Object readValue(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser));
                }
                return Collections.unmodifiableList(list);
            case VALUE_STRING:
                return parser.getText();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return parser.getDoubleValue(); // beyond a long: a double
                }
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            default:
                return NullValue.NULL_VALUE;
        }
    }

    public static Map<String, Object> object(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), toValue(field.getValue()));
        }
        return ExpressionMap.of(map);
    }

    public static Object toValue(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return object(node);
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(toValue(item)));
                return Collections.unmodifiableList(list);
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return node.longValue();
                }
                return node.doubleValue();
            default:
                return NullValue.NULL_VALUE;
        }
    }

    /**
     * A JSON tree's compact text, as {@link JsonNode#toString()} gives it, written straight to a generator:
     * {@code toString} looks up an object writer and its serializers on every call, and the engine writes the
     * params of every action request.
     */
    public static String text(JsonNode node) {
        if (node.isContainerNode() && node.isEmpty()) {
            return node.isObject() ? "{}" : "[]";
        }
        String flat = FlatJson.write(node);
        if (flat != null) {
            return flat;
        }
        java.io.StringWriter out = new java.io.StringWriter(64);
        try (com.fasterxml.jackson.core.JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to write JSON to memory, but could not", e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, com.fasterxml.jackson.core.JsonGenerator generator) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    generator.writeFieldName(field.getKey());
                    write(field.getValue(), generator);
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode item : node) {
                    write(item, generator);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    case DOUBLE -> generator.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> generator.writeNumber(node.decimalValue());
                }
            }
            case NULL, MISSING -> generator.writeNull();
            default -> generator.writeString(node.asText()); // binary and POJO nodes: the engine makes none
        }
    }

    /** Writes an expression result as JSON; timestamps and durations become ISO-8601 strings. */
    public static JsonNode toJson(Object value) {
        if (value == null || value instanceof NullValue) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        if (value instanceof Instant t) {
            return NODES.textNode(t.toString());
        }
        if (value instanceof Duration d) {
            return NODES.textNode(d.toString());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof Iterable<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(toJson(item)));
            return array;
        }
        return NODES.textNode(String.valueOf(value));
    }
}
