package io.journeys.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The flat JSON fast path gives exactly what Jackson gives, or declines. */
class FlatJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] VALUES = {"0", "-0", "7", "-42", "123456789012345678", "-123456789012345678",
        "1234567890123456789", "99999999999999999999", "1.5", "-0.0", "2.5e3", "1E-7", "6.02e+23", "01", "1.",
        ".5", "-", "1e", "+1", "0x10", "true", "false", "null", "nul", "tru", "\"s3\"", "\"\"", "\"é€😀\"",
        "\"a\\\"b\"", "\"tab\\t\"", "\"\\u0041\"", "\"line\nbreak\"", "{}", "{\"x\":1}", "[]", "[1,2]", "NaN"};
    private static final String[] NAMES = {"score", "segment", "", "é", "a b", "q\\\"uote", "1", "timeZone"};
    private static final String[] SPACES = {"", "", "", " ", "\n", "\t", "\r\n  ", "\u00a0"};

    /** Jackson's map, or the class of what it threw. */
    private static Object byJackson(String text) {
        try {
            return List.copyOf(JsonValues.objectByJackson(text).entrySet());
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static List<Object> typed(Map<String, Object> map) {
        List<Object> entries = new ArrayList<>();
        map.forEach((name, value) -> entries.add(List.of(name, value, value.getClass())));
        return entries;
    }

    @Test
    void shouldReadWhatJacksonReadsOrDecline() throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder(space(random)).append('{');
            int fields = random.nextInt(0, 5);
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    text.append(space(random)).append(',');
                }
                text.append(space(random)).append('"').append(NAMES[random.nextInt(NAMES.length)]).append('"')
                        .append(space(random)).append(':').append(space(random))
                        .append(VALUES[random.nextInt(VALUES.length)]);
            }
            text.append(space(random)).append('}').append(random.nextInt(20) == 0 ? " x" : space(random));
            String json = text.toString();
            if (random.nextInt(10) == 0) {
                json = json.substring(0, random.nextInt(json.length() + 1)); // truncated
            }
            Map<String, Object> flat = FlatJson.read(json);
            if (flat == null) {
                continue;
            }
            accepted++;
            Object jackson = byJackson(json);
            assertThat(jackson).as(json).isInstanceOf(List.class);
            assertThat(List.copyOf(flat.entrySet())).as(json).isEqualTo(jackson);
            assertThat(typed(flat)).as(json).isEqualTo(typed(JsonValues.objectByJackson(json)));
        }
        assertThat(accepted).as("texts the fast path took").isGreaterThan(3_000);
    }

    @Test
    void shouldTakeTheTextsOfExportsAndPayloads() {
        assertThat(FlatJson.read("{\"score\":5,\"segment\":\"s5\"}")).containsEntry("score", 5L).containsEntry("segment", "s5");
        assertThat(FlatJson.read("{\"score\": 7, \"vip\": true, \"ratio\": 0.25, \"gone\": null}")).hasSize(4);
        assertThat(FlatJson.read("{\"address\": {\"city\": \"Lyon\"}}")).isNull();
        assertThat(FlatJson.read("{\"name\": \"a\\\"b\"}")).isNull();
    }

    @Test
    void shouldWriteWhatJacksonWritesOrDecline() {
        SplittableRandom random = new SplittableRandom(7);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String[] texts = {"s3", "", "é€😀", "a\"b", "back\\slash", "tab\t", "\u0001", "/slash", "\u2028"};
        int accepted = 0;
        for (int round = 0; round < 5_000; round++) {
            ObjectNode object = nodes.objectNode();
            int fields = random.nextInt(0, 5);
            for (int i = 0; i < fields; i++) {
                String name = texts[random.nextInt(texts.length)] + i;
                JsonNode value = switch (random.nextInt(9)) {
                    case 0 -> nodes.textNode(texts[random.nextInt(texts.length)]);
                    case 1 -> nodes.numberNode(random.nextInt());
                    case 2 -> nodes.numberNode(random.nextLong());
                    case 3 -> nodes.booleanNode(random.nextBoolean());
                    case 4 -> nodes.nullNode();
                    case 5 -> nodes.numberNode(random.nextDouble() * 1e6);
                    case 6 -> nodes.objectNode().put("x", 1);
                    case 7 -> nodes.arrayNode().add(1);
                    default -> nodes.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
                };
                object.set(name, value);
            }
            String flat = FlatJson.write(object);
            if (flat == null) {
                continue;
            }
            accepted++;
            assertThat(flat).isEqualTo(object.toString());
        }
        assertThat(accepted).isGreaterThan(500);
        assertThat(FlatJson.write(nodes.objectNode().put("segment", "s3"))).isEqualTo("{\"segment\":\"s3\"}");
    }

    private static String space(SplittableRandom random) {
        return SPACES[random.nextInt(SPACES.length)];
    }
}
