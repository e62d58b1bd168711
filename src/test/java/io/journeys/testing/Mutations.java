package io.journeys.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile variants of valid inputs, for the fuzz suite: mutations of the JSON tree (a field removed, added, given
 * a value of another type, a huge number, a deep nesting, a long or unicode string), of the text (truncated,
 * characters inserted, a key repeated, NaN and Infinity) and of bytes (flipped, cut, garbage).
 */
public final class Mutations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings no parser expects: control characters, lone surrogates, right-to-left marks, emoji, NUL. */
    private static final List<String> HOSTILE_TEXT = List.of("", " ", "\u0000", "\u0007\b\f", "\t\n\r", "\uD800",
            "\uDFFF", "\u202E\u202D", "\uFEFF", "😀👍🏽", "ﷺ", "Ω≈ç√", "\\", "\"", "'", "${env:HOME}", "{{x}}", "%s%n",
            "null", "true", "NaN", "-Infinity", "1e999999", "P1D", "PT-1S", "P", "2026-13-45T25:61:61Z",
            "+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "Mars/Olympus", "UTC+99", "GMT+25:00",
            "../../etc/passwd", "<script>", "a".repeat(300));

    private static final List<String> HUGE_NUMBERS = List.of("1e309", "-1e309", "123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "2147483648", "0.0000000000000000000001", "-0", "1E-400",
            "4.9e-324", "1" + "0".repeat(400));

    private static final String DEEP = "\u0001deep:";

    private Mutations() {}

    /** One to three random mutations of a JSON document. */
    public static String mutateJson(String document, Random random) {
        String text = document;
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            text = random.nextInt(3) == 0 ? mutateText(text, random) : mutateTree(text, random);
        }
        return text;
    }

    /** A mutation of the document's tree; a document that no longer parses gets a text mutation instead. */
    public static String mutateTree(String document, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception notJson) {
            return mutateText(document, random);
        }
        if (root == null || !root.isContainerNode() || root.isEmpty()) {
            return mutateText(document, random);
        }
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            mutateObject(object, random);
        } else if (target instanceof ArrayNode array) {
            mutateArray(array, random);
        }
        return deepen(root.toString());
    }

    /**
     * Arrays nested as deep as the marker says, written as text: Jackson refuses to write more than 1,000 levels,
     * and the parsers must refuse to read them.
     */
    private static String deepen(String text) {
        int at = text.indexOf("\"" + DEEP);
        if (at < 0) {
            return text;
        }
        int end = text.indexOf('"', at + 1);
        int depth = Integer.parseInt(text.substring(at + 1 + DEEP.length(), end));
        return text.substring(0, at) + "[".repeat(depth) + "]".repeat(depth) + deepen(text.substring(end + 1));
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.elements().forEachRemaining(child -> collectContainers(child, out));
        }
    }

    private static void mutateObject(ObjectNode object, Random random) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() ? "x" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(6)) {
            case 0 -> object.remove(name); // a missing field
            case 1 -> object.set(pick(random, List.of("extra", "kind", "type", "next", "id", "x-" + random.nextInt(99),
                    hostileText(random))), value(random, 2)); // an extra (or replaced) field
            case 2 -> object.set(name, value(random, 2)); // a value of any type
            case 3 -> object.put(name, DEEP + (random.nextInt(2) == 0 ? 60 : 1_200)); // deep nesting, written as text below
            case 4 -> object.put(name, random.nextInt(5) == 0 ? "x".repeat(random.nextInt(100_000)) : hostileText(random));
            default -> object.set(name, hugeNumber(random));
        }
    }

    private static void mutateArray(ArrayNode array, Random random) {
        switch (random.nextInt(4)) {
            case 0 -> array.removeAll();
            case 1 -> array.add(value(random, 2));
            case 2 -> {
                if (!array.isEmpty()) {
                    array.remove(random.nextInt(array.size()));
                }
            }
            default -> {
                if (!array.isEmpty()) {
                    JsonNode first = array.get(0);
                    for (int i = 0; i < 1 + random.nextInt(50); i++) {
                        array.add(first.deepCopy()); // repeated elements
                    }
                }
            }
        }
    }

    /** A mutation of the text itself: what a broken producer or a truncated message gives. */
    public static String mutateText(String text, Random random) {
        int length = text.length();
        int at = length == 0 ? 0 : random.nextInt(length + 1);
        switch (random.nextInt(9)) {
            case 0:
                return text.substring(0, at); // truncated
            case 1:
                return text.substring(0, at) + hostileText(random) + text.substring(at);
            case 2: {
                int end = Math.min(length, at + random.nextInt(20));
                return text.substring(0, at) + text.substring(end); // a piece cut out
            }
            case 3: {
                int end = Math.min(length, at + random.nextInt(40));
                return text.substring(0, end) + text.substring(at, end) + text.substring(end); // a piece repeated
            }
            case 4:
                return duplicateKey(text, random);
            case 5:
                return text.replaceFirst("(-?\\d+(\\.\\d+)?)", pick(random, List.of("NaN", "Infinity", "-Infinity",
                        "+1", "01", "0x1F", "1e999", ".5")));
            case 6: {
                if (length == 0) {
                    return "\u0000";
                }
                char[] chars = text.toCharArray();
                chars[Math.min(at, length - 1)] = (char) random.nextInt(0x10000); // any char, surrogates too
                return new String(chars);
            }
            case 7:
                return text + pick(random, List.of("}", "]", ",", " garbage", "{}", "\n{}", "\u0000"));
            default:
                return pick(random, List.of("", "null", "[]", "42", "\"text\"", "{", "[{}]", "{}{}", "true",
                        "{\"a\":}", "\uFEFF{}", "{'single':'quotes'}", "/* comment */ {}"));
        }
    }

    /** The first key of the document again, with another value: which one wins is the parser's choice. */
    private static String duplicateKey(String text, Random random) {
        int brace = text.indexOf('{');
        if (brace < 0) {
            return text + "{\"a\":1,\"a\":2}";
        }
        String repeated = pick(random, List.of("\"id\": \"other\",", "\"profileId\": 7,", "\"type\": \"x\",",
                "\"steps\": {},", "\"kind\": \"rules\",", "\"kind\": \"action\",", "\"timestamp\": \"nope\","));
        return text.substring(0, brace + 1) + repeated + text.substring(brace + 1);
    }

    /** Random bytes, sometimes of a well-known magic number, so that a reader gets past its first check. */
    public static byte[] garbage(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        if (bytes.length >= 4 && random.nextBoolean()) {
            bytes[0] = 'O';
            bytes[1] = 'b';
            bytes[2] = 'j';
            bytes[3] = 1; // the Avro container magic
        }
        return bytes;
    }

    /** Bytes of a valid record, cut, flipped, extended or spliced. */
    public static byte[] mutateBytes(byte[] bytes, Random random) {
        byte[] out = bytes.clone();
        switch (random.nextInt(5)) {
            case 0:
                return java.util.Arrays.copyOf(out, out.length == 0 ? 0 : random.nextInt(out.length));
            case 1: {
                for (int i = 0; i < 1 + random.nextInt(4) && out.length > 0; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            }
            case 2: {
                if (out.length > 0) {
                    out[random.nextInt(out.length)] = pick(random, List.of((byte) 0xFF, (byte) 0x7F, (byte) 0x80,
                            (byte) 0x00, (byte) 0xFE)); // a varint that says "huge" or "negative"
                }
                return out;
            }
            case 3: {
                byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + random.nextInt(16));
                for (int i = out.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                return longer;
            }
            default: {
                byte[] noise = garbage(random, 64);
                int at = out.length == 0 ? 0 : random.nextInt(out.length);
                byte[] spliced = new byte[out.length + noise.length];
                System.arraycopy(out, 0, spliced, 0, at);
                System.arraycopy(noise, 0, spliced, at, noise.length);
                System.arraycopy(out, at, spliced, at + noise.length, out.length - at);
                return spliced;
            }
        }
    }

    public static String hostileText(Random random) {
        return HOSTILE_TEXT.get(random.nextInt(HOSTILE_TEXT.size()));
    }

    public static JsonNode hugeNumber(Random random) {
        String text = HUGE_NUMBERS.get(random.nextInt(HUGE_NUMBERS.size()));
        return text.contains(".") || text.contains("e") || text.contains("E")
                ? NODES.numberNode(new BigDecimal(text))
                : NODES.numberNode(new BigInteger(text));
    }

    /** A value of any JSON type, nested at most {@code depth} deep. */
    public static JsonNode value(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(random.nextBoolean());
            case 2:
                return NODES.numberNode(random.nextInt(2001) - 1000);
            case 3:
                return NODES.numberNode(random.nextDouble() * 1e6);
            case 4:
                return hugeNumber(random);
            case 5:
                return NODES.textNode(hostileText(random));
            case 6:
                return NODES.textNode("v" + random.nextInt(1000));
            case 7: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set("k" + random.nextInt(10), value(random, depth - 1));
                }
                return object;
            }
        }
    }

    public static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The first 300 characters, for failure messages. */
    public static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
    }
}
