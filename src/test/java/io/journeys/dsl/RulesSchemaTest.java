package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.testing.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * schema/rules.schema.json describes, for editors, the rule set format {@link RulesParser} reads. These tests keep
 * the two in step as {@link JourneySchemaTest} does for journeys: same field names, same enums, same required
 * fields, and the syntax the two schemas share written the same way in both.
 */
class RulesSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A rule set that uses every field the format defines. */
    private static final String FULL_RULES = """
            {"kind": "rules", "id": "marketing", "version": 2, "name": "Marketing", "description": "Be polite",
             "fallbackTimeZone": "Europe/Paris", "publishedAt": "2026-03-01T00:00:00Z",
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day",
                            "timeZone": "profile"}],
             "quietHours": [{"id": "night", "channels": ["email", "sms", "push"], "from": "21:00", "to": "08:00",
                             "days": [1, 2, 3, 4, 5], "timeZone": "Europe/Paris", "then": "queue", "maxHold": "P2D"}],
             "entries": {"max": 3, "per": "week", "maxConcurrent": 1, "timeZone": "UTC"}}""";

    private static JsonNode schema;
    private static JsonNode journeySchema;

    @BeforeAll
    static void readSchemas() throws IOException {
        schema = JSON.readTree(Files.readString(Path.of("schema", "rules.schema.json")));
        journeySchema = JSON.readTree(Files.readString(Path.of("schema", "journey.schema.json")));
    }

    // ---- the schema itself ----

    @Test
    void theSchemaIsADraft2020_12ObjectSchemaWhoseReferencesAllResolveAndWhosePropertiesAreDescribed() {
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        List<String> refs = new ArrayList<>();
        collectRefs(schema, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> {
            assertThat(ref).startsWith("#/$defs/");
            assertThat(definition(ref.substring("#/$defs/".length())).isMissingNode()).as(ref).isFalse();
        });
        List<String> undescribed = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>(List.of(schema));
        schema.path("$defs").fields().forEachRemaining(def -> {
            if (!def.getValue().hasNonNull("description")) {
                undescribed.add("#/$defs/" + def.getKey());
            }
            objects.add(def.getValue());
        });
        for (JsonNode object : objects) {
            object.path("properties").fields().forEachRemaining(property -> {
                JsonNode value = property.getValue();
                if (!value.hasNonNull("description") && !value.has("$ref")) {
                    undescribed.add(property.getKey());
                }
            });
        }
        assertThat(undescribed).isEmpty();
    }

    @Test
    void theSampleRuleSetIsValid() {
        assertThat(RulesParser.parse(FULL_RULES).problems()).isEmpty();
    }

    // ---- field names ----

    @Test
    void everyObjectListsExactlyTheFieldsTheParserKnowsAndRefusesOthers() {
        Map<JsonNode, Set<String>> expected = Map.of(
                schema, RulesParser.FIELDS,
                definition("frequency"), RulesParser.FREQUENCY_FIELDS,
                definition("quietHours"), RulesParser.QUIET_FIELDS,
                definition("entries"), RulesParser.ENTRY_FIELDS);
        expected.forEach((objectSchema, fields) -> {
            assertThat(propertyNames(objectSchema)).isEqualTo(new TreeSet<>(fields));
            assertThat(objectSchema.path("type").asText()).isEqualTo("object");
            assertThat(objectSchema.path("additionalProperties").isBoolean()
                    && !objectSchema.path("additionalProperties").booleanValue()).as("closed").isTrue();
        });
        assertThat(schema.at("/properties/frequency/items/$ref").asText()).isEqualTo("#/$defs/frequency");
        assertThat(schema.at("/properties/quietHours/items/$ref").asText()).isEqualTo("#/$defs/quietHours");
        assertThat(schema.at("/properties/entries/$ref").asText()).isEqualTo("#/$defs/entries");
    }

    // ---- enums ----

    @Test
    void theEnumsListWhatTheParserKnows() {
        assertThat(schema.at("/properties/kind/const").asText()).isEqualTo("rules");
        assertThat(DefinitionKind.of(FULL_RULES)).isEqualTo(DefinitionKind.RULES);
        assertThat(enumValues(definition("channels").path("items")))
                .isEqualTo(Arrays.stream(Channel.values()).map(Channel::jsonName).collect(Collectors.toSet()));
        assertThat(enumValues(definition("per")))
                .isEqualTo(Arrays.stream(CalendarWindow.values()).map(CalendarWindow::jsonName)
                        .collect(Collectors.toSet()));
        assertThat(enumValues(definition("quietHours").at("/properties/then"))).containsExactly("discard", "queue");
    }

    @Test
    void everyValueOfEveryEnumIsAcceptedByTheParserAndOthersAreNot() {
        Map<String, JsonNode> enums = Map.of(
                "/frequency/0/per", definition("per"),
                "/entries/per", definition("per"),
                "/quietHours/0/then", definition("quietHours").at("/properties/then"));
        enums.forEach((at, property) -> {
            for (String value : enumValues(property)) {
                ObjectNode rules = withValue(at, value);
                if (value.equals("discard")) {
                    ((ObjectNode) rules.at("/quietHours/0")).remove("maxHold");
                }
                assertThat(problems(rules)).as("%s = %s", at, value).isEmpty();
            }
            assertThat(problems(withValue(at, "fortnight"))).as("%s = fortnight", at)
                    .extracting(p -> p.code() + " " + p.pointer()).containsExactly("BAD_RULE " + at);
        });
        for (String channel : enumValues(definition("channels").path("items"))) {
            ObjectNode rules = fullRules();
            ((ArrayNode) rules.at("/frequency/0/channels")).removeAll().add(channel);
            assertThat(problems(rules)).as("channel %s", channel).isEmpty();
        }
    }

    // ---- required fields ----

    @Test
    void theFieldsTheSchemaRequiresAreThoseTheParserReportsMissing() {
        assertRequiredAgrees("", schema);
        assertRequiredAgrees("/frequency/0", definition("frequency"));
        assertRequiredAgrees("/quietHours/0", definition("quietHours"));
        // entries require one field or another: entriesNeedMaxWithPerOrMaxConcurrentInBoth
        assertThat(definition("entries").has("required")).isFalse();
    }

    @Test
    void aRuleSetNeedsOneKindOfRuleInBoth() {
        Set<String> alternatives = new TreeSet<>();
        schema.path("anyOf").forEach(option -> option.path("required").forEach(name -> alternatives.add(name.asText())));
        assertThat(alternatives).containsExactly("entries", "frequency", "quietHours");
        assertThat(schema.at("/properties/frequency/minItems").asInt()).isEqualTo(1);
        assertThat(schema.at("/properties/quietHours/minItems").asInt()).isEqualTo(1);

        ObjectNode none = fullRules();
        none.remove(List.of("frequency", "quietHours", "entries"));
        assertThat(problems(none)).extracting(p -> p.code() + " " + p.pointer()).containsExactly("EMPTY_LIST ");
        for (String kept : alternatives) {
            ObjectNode one = fullRules();
            one.retain(Set.of("kind", "id", "version", kept));
            assertThat(problems(one)).as("only %s", kept).isEmpty();
        }
    }

    @Test
    void entriesNeedMaxWithPerOrMaxConcurrentInBoth() {
        JsonNode entries = definition("entries");
        assertThat(entries.at("/dependentRequired/max/0").asText()).isEqualTo("per");
        assertThat(entries.at("/dependentRequired/per/0").asText()).isEqualTo("max");
        Set<Set<String>> alternatives = new HashSet<>();
        entries.path("anyOf").forEach(option -> {
            Set<String> names = new TreeSet<>();
            option.path("required").forEach(name -> names.add(name.asText()));
            alternatives.add(names);
        });
        assertThat(alternatives).containsExactlyInAnyOrder(Set.of("max", "per"), Set.of("maxConcurrent"));

        Map<String, List<String>> cases = Map.of(
                "{\"max\": 3, \"per\": \"week\"}", List.of(),
                "{\"maxConcurrent\": 1}", List.of(),
                "{\"max\": 3}", List.of("MISSING_FIELD /entries/per"),
                "{\"per\": \"week\", \"maxConcurrent\": 1}", List.of("BAD_RULE /entries/per"),
                "{\"timeZone\": \"profile\"}", List.of("MISSING_FIELD /entries"));
        cases.forEach((entry, expected) -> {
            ObjectNode rules = fullRules();
            rules.set("entries", Json.read(entry));
            assertThat(problems(rules)).as(entry).extracting(p -> p.code() + " " + p.pointer())
                    .containsExactlyElementsOf(expected);
        });
    }

    @Test
    void maxHoldGoesOnlyWithThenQueueInBoth() {
        JsonNode quietHours = definition("quietHours");
        assertThat(quietHours.at("/if/properties/then/const").asText()).isEqualTo("discard");
        assertThat(quietHours.at("/then/properties/maxHold").asBoolean(true)).isFalse();
        assertThat(quietHours.at("/properties/maxHold/default").asText()).isEqualTo("P7D");

        ObjectNode rules = fullRules();
        ((ObjectNode) rules.at("/quietHours/0")).put("then", "discard");
        assertThat(problems(rules)).extracting(p -> p.code() + " " + p.pointer())
                .containsExactly("BAD_RULE /quietHours/0/maxHold");
    }

    // ---- syntax of values ----

    @Test
    void theSyntaxBothFormatsShareIsWrittenTheSameWayInBoth() {
        for (String shared : List.of("clock", "days", "zoneChoice", "duration")) {
            assertThat(definition(shared)).as(shared).isEqualTo(journeySchema.path("$defs").path(shared));
        }
        // a journey names a rule set by the id the set declares
        assertThat(schema.at("/properties/id/pattern").asText())
                .isEqualTo(journeySchema.at("/properties/rules/pattern").asText())
                .isEqualTo(journeySchema.at("/properties/id/pattern").asText());
        for (String keyword : List.of("type", "minimum", "maximum")) {
            assertThat(schema.at("/properties/version/" + keyword)).as("version %s", keyword)
                    .isEqualTo(journeySchema.at("/properties/version/" + keyword));
        }
    }

    @Test
    void theRuleIdPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("ruleId"));
        assertThat(pattern.pattern()).isEqualTo("^" + RulesParser.RULE_ID.pattern() + "$");
        for (String id : List.of("night", "Email-Daily", "9", "a.b_c", "r".repeat(64), "r".repeat(65), "-night",
                "_night", "night shift", "é", "")) {
            ObjectNode rules = fullRules();
            ((ObjectNode) rules.at("/frequency/0")).put("id", id);
            assertThat(codes(rules).contains(ProblemCode.BAD_ID)).as("rule id \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
        }
    }

    @Test
    void theClockPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("clock"));
        for (String clock : List.of("00:00", "07:45", "23:59", "24:00", "7:45", "07:4", "07:60", "0745", "")) {
            ObjectNode rules = fullRules();
            ((ObjectNode) rules.at("/quietHours/0")).put("to", clock);
            assertThat(codes(rules).contains(ProblemCode.BAD_CLOCK)).as("to \"%s\"", clock)
                    .isEqualTo(!pattern.matcher(clock).find());
        }
    }

    @Test
    void aCapIsAWholeNumberFromOneToTheLargestInBoth() {
        JsonNode max = definition("max");
        assertThat(max.path("type").asText()).isEqualTo("integer");
        assertThat(List.of(max.path("minimum").asLong(), max.path("maximum").asLong()))
                .containsExactly(1L, (long) RulesParser.LARGEST_MAX);
        assertThat(definition("entries").at("/properties/maxConcurrent/$ref").asText()).isEqualTo("#/$defs/max");
        for (String value : List.of("1", "10000", "0", "-1", "10001", "1.5", "\"3\"")) {
            JsonNode node = Json.read(value);
            boolean schemaAccepts = node.isIntegralNumber() && node.asLong() >= max.path("minimum").asLong()
                    && node.asLong() <= max.path("maximum").asLong();
            for (String at : List.of("/frequency/0/max", "/entries/max", "/entries/maxConcurrent")) {
                ObjectNode rules = fullRules();
                ((ObjectNode) rules.at(at.substring(0, at.lastIndexOf('/')))).set(at.substring(at.lastIndexOf('/') + 1),
                        node);
                assertThat(codes(rules).contains(ProblemCode.BAD_RULE)).as("%s %s", at, value)
                        .isEqualTo(!schemaAccepts);
            }
        }
    }

    @Test
    void channelsAreNamedOnceAndNotEmptyInBoth() {
        JsonNode channels = definition("channels");
        assertThat(channels.path("minItems").asInt()).isEqualTo(1);
        assertThat(channels.path("uniqueItems").asBoolean()).isTrue();
        Map<String, String> refused = Map.of(
                "[]", "EMPTY_LIST /quietHours/0/channels",
                "[\"sms\", \"sms\"]", "DUPLICATE_ID /quietHours/0/channels/1",
                "[\"fax\"]", "UNKNOWN_CHANNEL /quietHours/0/channels/0",
                "\"sms\"", "WRONG_TYPE /quietHours/0/channels");
        refused.forEach((value, expected) -> {
            ObjectNode rules = fullRules();
            ((ObjectNode) rules.at("/quietHours/0")).set("channels", Json.read(value));
            assertThat(problems(rules)).as(value).extracting(p -> p.code() + " " + p.pointer()).containsExactly(expected);
        });
    }

    // ---- helpers ----

    /**
     * For each property of the object at {@code at} (FULL_RULES has them all), removing it makes the parser report
     * it missing iff the schema requires it.
     */
    private static void assertRequiredAgrees(String at, JsonNode definition) {
        Set<String> required = new HashSet<>();
        definition.path("required").forEach(name -> required.add(name.asText()));
        assertThat(propertyNames(definition)).containsAll(required);
        for (String field : propertyNames(definition)) {
            ObjectNode rules = fullRules();
            assertThat(rules.at(at).has(field)).as("FULL_RULES has %s/%s", at, field).isTrue();
            ((ObjectNode) rules.at(at)).remove(field);
            String pointer = at + "/" + field;
            boolean reportedMissing = problems(rules).stream()
                    .anyMatch(p -> p.code() == ProblemCode.MISSING_FIELD && p.pointer().equals(pointer));
            assertThat(reportedMissing).as("parser reports %s missing", pointer).isEqualTo(required.contains(field));
        }
    }

    private static ObjectNode withValue(String at, String value) {
        ObjectNode rules = fullRules();
        ((ObjectNode) rules.at(at.substring(0, at.lastIndexOf('/')))).put(at.substring(at.lastIndexOf('/') + 1), value);
        return rules;
    }

    private static ObjectNode fullRules() {
        return (ObjectNode) Json.read(FULL_RULES);
    }

    private static List<Problem> problems(JsonNode rules) {
        return RulesParser.parse(rules.toString()).problems();
    }

    private static Set<ProblemCode> codes(JsonNode rules) {
        return problems(rules).stream().map(Problem::code).collect(Collectors.toSet());
    }

    private static JsonNode definition(String name) {
        return schema.path("$defs").path(name);
    }

    private static Set<String> propertyNames(JsonNode objectSchema) {
        Set<String> names = new TreeSet<>();
        objectSchema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> enumValues(JsonNode property) {
        Set<String> values = new TreeSet<>();
        property.path("enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    private static Pattern schemaPattern(JsonNode stringSchema) {
        String pattern = stringSchema.path("pattern").asText();
        assertThat(pattern).as("pattern is anchored").startsWith("^").endsWith("$");
        return Pattern.compile(pattern);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node instanceof ArrayNode array) {
            array.forEach(item -> collectRefs(item, refs));
        }
    }
}
