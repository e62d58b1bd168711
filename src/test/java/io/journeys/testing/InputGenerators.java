package io.journeys.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.InputSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/**
 * Streamed inputs for the fuzz suite, by grammar: valid events, profile updates and qualifications (with
 * hostile but legal content: unicode ids, odd offsets, deep data), and inputs broken in one known way, each
 * with the dead-letter code README.md gives for it.
 */
public final class InputGenerators {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-01-01T00:00:00Z, the fixtures' start. */
    public static final long BEGINNING = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** A text that some field should hold, and the code of the dead letter it must become. */
    public record Broken(String text, String code) {}

    private InputGenerators() {}

    public static ObjectNode valid(InputSource source, Random random) {
        ObjectNode node = JSON.createObjectNode();
        node.put("profileId", profileId(random));
        node.put("timestamp", timestamp(random));
        switch (source) {
            case EVENTS -> {
                node.put("type", Mutations.pick(random, List.of("signup", "login", "order.placed", "é.vènt", "x")));
                if (random.nextInt(3) > 0) {
                    node.put("eventId", "e-" + random.nextLong());
                }
                if (random.nextInt(4) > 0) {
                    node.set("data", object(random));
                } else if (random.nextBoolean()) {
                    node.putNull("data");
                }
                if (random.nextInt(5) == 0) {
                    node.put("requestId", "r-" + random.nextInt(1000));
                }
            }
            case PROFILES -> node.set("attributes", object(random));
            case QUALIFICATIONS -> {
                node.put("audienceId", Mutations.pick(random, List.of("vip", "lapsed", "a.b-c_d", "Ünïcode")));
                node.put("status", random.nextBoolean() ? "enter" : "exit");
            }
            default -> throw new IllegalArgumentException("Expected a streamed source, but found " + source);
        }
        if (random.nextInt(5) == 0) {
            node.put("unknownField", "ignored"); // extra fields are allowed: producers add fields first
        }
        return node;
    }

    /** An input with one thing wrong that the parser must name. */
    public static Broken broken(InputSource source, ObjectNode valid, Random random) {
        ObjectNode node = valid.deepCopy();
        int choices = source == InputSource.PROFILES ? 10 : 9;
        switch (random.nextInt(choices)) {
            case 0:
                node.remove("profileId");
                return new Broken(node.toString(), "INP-002");
            case 1:
                node.put("profileId", Mutations.pick(random, List.of("", " ", "\t\n")));
                return new Broken(node.toString(), "INP-002");
            case 2:
                node.remove("timestamp");
                return new Broken(node.toString(), "INP-004");
            case 3:
                node.put("timestamp", Mutations.pick(random, List.of("yesterday", "2026-13-01T00:00:00Z",
                        "2026-01-01", "2026-01-01T25:00:00Z", "1767225600000", "2026-01-01T00:00:00+25:00",
                        "2026-02-30T00:00:00Z", "")));
                return new Broken(node.toString(), node.get("timestamp").textValue().isEmpty() ? "INP-004" : "INP-005");
            case 4:
                node.set("profileId", Mutations.pick(random, List.<JsonNode>of(JSON.getNodeFactory().numberNode(42),
                        JSON.createArrayNode(), JSON.createObjectNode(), JSON.getNodeFactory().booleanNode(true))));
                return new Broken(node.toString(), "INP-006");
            case 5: {
                String text = node.toString();
                return new Broken(text.substring(0, random.nextInt(text.length())), "INP-001"); // truncated
            }
            case 6:
                return new Broken(Mutations.pick(random, List.of("[]", "42", "\"text\"", "null", "true", "",
                        node + " trailing", node + "{}", "{'a': 1}", "\u0000")), "INP-001");
            case 7: {
                node.put("padding", "x".repeat(65_536));
                return new Broken(node.toString(), "INP-007");
            }
            case 8:
                if (source == InputSource.EVENTS) {
                    if (random.nextBoolean()) {
                        node.remove("type");
                        return new Broken(node.toString(), "INP-003");
                    }
                    node.set("data", random.nextBoolean() ? JSON.createArrayNode().add(1) : JSON.getNodeFactory().textNode("{}"));
                    return new Broken(node.toString(), "INP-006");
                }
                if (source == InputSource.QUALIFICATIONS) {
                    if (random.nextBoolean()) {
                        node.put("status", Mutations.pick(random, List.of("entered", "ENTER", "", "leave")));
                    } else {
                        node.remove(random.nextBoolean() ? "status" : "audienceId");
                    }
                    return new Broken(node.toString(), "INP-006");
                }
                node.set("attributes", JSON.createArrayNode());
                return new Broken(node.toString(), "INP-006");
            default:
                node.remove("attributes");
                return new Broken(node.toString(), "INP-006");
        }
    }

    public static String profileId(Random random) {
        return Mutations.pick(random, List.of("p-", "Ω-", "p/", "p ", "😀", "p\u0000", "P-")) + random.nextInt(100_000);
    }

    /** A timestamp of 2026 in one of the forms the parser takes: UTC, an offset, fractions of a second. */
    public static String timestamp(Random random) {
        long at = BEGINNING + (long) (random.nextDouble() * 365 * 24 * 3_600_000L);
        Instant instant = Instant.ofEpochMilli(at);
        switch (random.nextInt(3)) {
            case 0:
                return instant.toString();
            case 1:
                return OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(random.nextInt(27) - 12)).toString();
            default:
                return Instant.ofEpochSecond(at / 1000).toString();
        }
    }

    public static long epochMillis(String timestamp) {
        return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
    }

    /** Legal JSON objects with the content producers really send: nested, unicode, big and small numbers. */
    public static ObjectNode object(Random random) {
        ObjectNode object = anyObject(random);
        // a number beyond a double's range is read as Infinity and written as the text "Infinity" (see README,
        // Fuzzing): legal JSON that the engine does not keep as it came, so valid inputs leave it out
        while (object.toString().contains("E+309")) {
            object = anyObject(random);
        }
        return object;
    }

    private static ObjectNode anyObject(Random random) {
        ObjectNode object = JSON.createObjectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
            object.set(Mutations.pick(random, List.of("plan", "firstName", "loginCount", "tags", "nested", "Ωmega",
                    "", "a.b", "\u0007")), Mutations.value(random, 3));
        }
        return object;
    }
}
