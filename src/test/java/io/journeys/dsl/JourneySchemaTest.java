package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.expr.ExpressionLimits;
import io.journeys.testing.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schema/journey.schema.json describes, for editors, the format {@link JourneyParser} reads. These tests keep the two
 * in step: same field names, same enums, same required fields, same id and duration syntax.
 */
class JourneySchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCHEMA = Path.of("schema", "journey.schema.json");
    private static final Path JOBS = Path.of("jobs");

    /** A journey that uses every field the format defines, every step type and every optional field. */
    private static final String FULL_JOURNEY = """
            {
              "kind": "journey",
              "id": "full",
              "version": 3,
              "name": "Every field",
              "description": "Uses every field of the format",
              "status": "live",
              "timeZone": "Europe/Paris",
              "useProfileTimeZone": true,
              "reentry": {"allowed": true, "waitPeriod": "PT10M"},
              "timeout": "P30D",
              "entry": {"type": "event", "event": "signed.up", "when": "event.plan != 'trial'"},
              "exit": [{"event": "unsubscribed", "when": "event.reason != 'test'"}],
              "goals": [{"id": "purchased", "event": "order.placed", "when": "event.cartId == journey.entry.data.cartId",
                         "within": "P7D", "exit": true}],
              "rules": "marketing",
              "priority": 70,
              "start": "send",
              "steps": {
                "send": {"type": "action", "name": "Send", "description": "Says hello",
                         "channel": "email", "template": "hello", "params": {"firstName": "profile.firstName"},
                         "next": "check", "onError": "done", "rules": false},
                "check": {"type": "condition", "name": "Check", "description": "Logged in?",
                          "choices": [{"when": "profile.loginCount > 0", "next": "wait-fixed"}],
                          "default": "wait-until", "onError": "done"},
                "wait-fixed": {"type": "wait", "name": "Wait", "description": "A day", "duration": "P1D",
                               "next": "split"},
                "wait-until": {"type": "wait", "name": "Wait", "description": "Until morning",
                               "until": "atLocalTime(plusDays(now, 1), \\"09:00\\")", "next": "split",
                               "onError": "done"},
                "split": {"type": "split", "name": "Split", "description": "A/B test",
                          "branches": [{"percent": 50.5, "next": "opened"}, {"percent": 49.5, "next": "update"}]},
                "opened": {"type": "await", "name": "Opened?", "description": "Waits for the email to be opened",
                           "events": [{"event": "email.opened", "when": "event.campaign == 'hello'", "to": "send",
                                       "next": "update"}],
                           "timeout": "P2D", "onTimeout": "jump", "onError": "done"},
                "update": {"type": "updateProfile", "name": "Update", "description": "Remembers the opening",
                           "set": {"engaged": "true"}, "next": "jump", "onError": "done"},
                "jump": {"type": "jump", "name": "Jump", "description": "On to the follow-up",
                         "journey": "follow-up", "next": "first-100"},
                "first-100": {"type": "cap", "name": "Cap", "description": "The first hundred only",
                              "limit": 100, "next": "office-hours", "overflow": "done"},
                "office-hours": {"type": "window", "name": "Office hours", "description": "Calls on weekdays only",
                                 "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00",
                                 "timeZone": "Europe/Paris", "next": "lookup"},
                "lookup": {"type": "call", "name": "Look-up", "description": "The CRM's tier",
                           "action": "crm-lookup", "params": {"customerId": "profile.customerId"},
                           "next": "test", "onError": "done", "onTimeout": "done"},
                "test": {"type": "experiment", "name": "Test", "description": "Does a reminder sell more?",
                         "goal": "purchased",
                         "arms": [{"id": "reminder", "percent": 90, "next": "done"},
                                  {"id": "holdout", "percent": 10, "next": "done", "control": true}],
                         "winner": {"after": "P14D", "confidence": 0.95, "minPerArm": 1000}},
                "done": {"type": "end", "name": "Done", "description": "The end"}
              },
              "startAt": "2026-01-01T00:00:00Z",
              "endAt": "2027-01-01T00:00:00Z",
              "publishedAt": "2026-01-01T00:00:00Z"
            }
            """;

    private static JsonNode schema;

    @BeforeAll
    static void readSchema() throws IOException {
        schema = JSON.readTree(Files.readString(SCHEMA));
    }

    // ---- the schema itself ----

    @Test
    void theSchemaIsADraft2020_12ObjectSchemaWhoseReferencesAllResolve() {
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        List<String> refs = new ArrayList<>();
        collectRefs(schema, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/$defs/");
            assertThat(definition(ref.substring("#/$defs/".length())).isMissingNode())
                    .as("definition behind %s", ref).isFalse();
        }
    }

    @Test
    void everyDefinitionAndEveryPropertyCarriesADescriptionForEditors() {
        List<String> undocumented = new ArrayList<>();
        checkDescribed("", schema, undocumented);
        schema.path("$defs").fields().forEachRemaining(def -> {
            if (!def.getValue().hasNonNull("description")) {
                undocumented.add("#/$defs/" + def.getKey());
            }
            checkDescribed("#/$defs/" + def.getKey(), def.getValue(), undocumented);
        });
        assertThat(undocumented).isEmpty();
    }

    // ---- field names ----

    @Test
    void theTopLevelPropertiesAreExactlyTheFieldsTheParserKnows() {
        assertThat(propertyNames(schema)).isEqualTo(new TreeSet<>(JourneyFields.JOURNEY));
        assertClosed(schema, "the journey");
    }

    @Test
    void everyNestedObjectListsExactlyTheFieldsTheParserKnows() {
        Map<String, Set<String>> expected = Map.of(
                "reentry", JourneyFields.REENTRY_FIELDS,
                "entry", JourneyFields.ENTRY_FIELDS,
                "exitCriterion", JourneyFields.EXIT_FIELDS,
                "choice", JourneyFields.CHOICE_FIELDS,
                "branch", JourneyFields.BRANCH_FIELDS,
                "reaction", JourneyFields.REACTION_FIELDS,
                "goal", JourneyFields.GOAL_FIELDS,
                "arm", JourneyFields.ARM_FIELDS,
                "winner", JourneyFields.WINNER_FIELDS);
        expected.forEach((name, fields) -> {
            JsonNode def = definition(name);
            assertThat(propertyNames(def)).as(name).isEqualTo(new TreeSet<>(fields));
            assertClosed(def, name);
        });
    }

    @Test
    void everyStepTypeHasADefinitionWithExactlyTheCommonFieldsAndItsOwn() {
        for (StepType type : StepType.values()) {
            JsonNode def = stepDefinition(type);
            assertThat(def.isMissingNode()).as("definition %sStep", type.jsonName()).isFalse();
            Set<String> fields = new TreeSet<>(JourneyFields.COMMON_STEP);
            fields.addAll(JourneyFields.stepFields(type));
            assertThat(propertyNames(def)).as(type.jsonName()).isEqualTo(fields);
            assertThat(def.path("properties").path("type").path("const").asText()).isEqualTo(type.jsonName());
            assertClosed(def, type.jsonName() + " step");
        }
    }

    @Test
    void aStepIsOneOfExactlyTheStepTypeDefinitions() {
        Set<String> refs = new TreeSet<>();
        definition("step").path("oneOf").forEach(option -> refs.add(option.path("$ref").asText()));
        Set<String> expected = Arrays.stream(StepType.values())
                .map(type -> "#/$defs/" + type.jsonName() + "Step")
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(refs).isEqualTo(expected);
        assertThat(schema.at("/properties/steps/additionalProperties/$ref").asText()).isEqualTo("#/$defs/step");
    }

    @Test
    void goalsArmsAndTheWinnerAreReferencedWhereTheParserReadsThem() {
        assertThat(schema.at("/properties/goals/type").asText()).isEqualTo("array");
        assertThat(schema.at("/properties/goals/items/$ref").asText()).isEqualTo("#/$defs/goal");
        JsonNode experiment = stepDefinition(StepType.EXPERIMENT).path("properties");
        assertThat(experiment.at("/goal/$ref").asText()).isEqualTo("#/$defs/goalId");
        assertThat(experiment.at("/arms/items/$ref").asText()).isEqualTo("#/$defs/arm");
        assertThat(experiment.at("/winner/$ref").asText()).isEqualTo("#/$defs/winner");
        assertThat(definition("goal").at("/properties/id/$ref").asText()).isEqualTo("#/$defs/goalId");
        assertThat(definition("goal").at("/properties/within/$ref").asText()).isEqualTo("#/$defs/duration");
        assertThat(definition("winner").at("/properties/after/$ref").asText()).isEqualTo("#/$defs/duration");
        assertThat(definition("goal").at("/properties/exit/type").asText()).isEqualTo("boolean");
        assertThat(definition("arm").at("/properties/control/type").asText()).isEqualTo("boolean");
    }

    // ---- enums ----

    @Test
    void theChannelEnumListsEveryChannel() {
        assertThat(enumValues(stepDefinition(StepType.ACTION).at("/properties/channel")))
                .isEqualTo(Arrays.stream(Channel.values()).map(Channel::jsonName).collect(Collectors.toSet()));
    }

    @Test
    void theStatusEnumListsEveryJourneyStatus() {
        assertThat(enumValues(schema.at("/properties/status")))
                .isEqualTo(Arrays.stream(JourneyStatus.values()).map(JourneyStatus::jsonName)
                        .collect(Collectors.toSet()));
    }

    @Test
    void everyValueOfEveryEnumIsAcceptedByTheParser() {
        // entry types need fields of their own: shouldAcceptEveryEntryTypeWithItsOwnFields checks them
        Map<String, JsonNode> enums = Map.of(
                "/kind", schema.at("/properties/kind"),
                "/status", schema.at("/properties/status"),
                "/steps/send/channel", stepDefinition(StepType.ACTION).at("/properties/channel"));
        enums.forEach((at, property) -> {
            assertThat(enumValues(property)).as(at).isNotEmpty();
            for (String value : enumValues(property)) {
                ObjectNode journey = fullJourney();
                ((ObjectNode) journey.at(parent(at))).put(last(at), value);
                assertThat(problems(journey)).as("%s = %s", at, value).isEmpty();
            }
        });
    }

    // ---- required fields ----

    @Test
    void theSampleJourneyIsValidAndUsesEveryStepType() {
        ParseResult result = JourneyParser.parse(FULL_JOURNEY);
        assertThat(result.problems()).isEmpty();
        assertThat(result.journey().steps().values().stream().map(Step::type).collect(Collectors.toSet()))
                .as("add a step of each new type to FULL_JOURNEY")
                .containsExactlyInAnyOrder(StepType.values());
    }

    @Test
    void theTopLevelFieldsTheSchemaRequiresAreThoseTheParserReportsMissing() {
        assertRequiredAgrees("", schema);
    }

    @Test
    void theNestedFieldsTheSchemaRequiresAreThoseTheParserReportsMissing() {
        assertRequiredAgrees("/reentry", definition("reentry"));
        // entry and exit requirements depend on their kind (allOf/oneOf): see the tests below
        assertRequiredAgrees("/steps/check/choices/0", definition("choice"));
        assertRequiredAgrees("/steps/split/branches/0", definition("branch"));
        assertRequiredAgrees("/steps/opened/events/0", definition("reaction"));
        assertRequiredAgrees("/goals/0", definition("goal"));
        assertRequiredAgrees("/steps/test/arms/0", definition("arm"));
        assertRequiredAgrees("/steps/test/winner", definition("winner"));
    }

    @Test
    void shouldAcceptEveryEntryTypeWithItsOwnFields() {
        Map<String, String> entries = Map.of(
                "event", "{\"type\": \"event\", \"event\": \"signup\"}",
                "audience", "{\"type\": \"audience\", \"audience\": \"vip\", \"rate\": 100000, "
                        + "\"recurrence\": \"once\", \"incremental\": true, \"when\": \"audience.score > 3\"}",
                "qualification", "{\"type\": \"qualification\", \"audience\": \"vip\", \"on\": \"exit\"}");
        assertThat(enumValues(definition("entry").at("/properties/type"))).isEqualTo(entries.keySet());
        entries.forEach((type, entry) -> {
            ObjectNode journey = fullJourney();
            try {
                journey.set("entry", JSON.readTree(entry));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(problems(journey)).as(type).isEmpty();
            assertThat(definition("entry").at("/properties").has("audience")).isTrue();
        });
    }

    @Test
    void shouldAcceptAnAudienceExitAsAnExitCriterion() throws Exception {
        ObjectNode journey = fullJourney();
        journey.set("exit", JSON.readTree("[{\"audienceExit\": \"vip\"}, {\"event\": \"unsubscribed\"}]"));
        assertThat(problems(journey)).isEmpty();
        assertThat(definition("exitCriterion").at("/properties").has("audienceExit")).isTrue();
    }

    @Test
    void theStepFieldsTheSchemaRequiresAreThoseTheParserReportsMissing() {
        JsonNode steps = fullJourney().get("steps");
        for (Iterator<Map.Entry<String, JsonNode>> it = steps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> step = it.next();
            StepType type = StepType.fromJson(step.getValue().get("type").asText()).orElseThrow();
            assertRequiredAgrees("/steps/" + step.getKey(), stepDefinition(type));
        }
    }

    @Test
    void aWaitNeedsExactlyOneOfDurationUntilAndSendTimeInBoth() {
        JsonNode oneOf = stepDefinition(StepType.WAIT).path("oneOf");
        Set<String> alternatives = new TreeSet<>();
        oneOf.forEach(option -> option.path("required").forEach(name -> alternatives.add(name.asText())));
        assertThat(oneOf.size()).isEqualTo(3);
        assertThat(alternatives).containsExactly("duration", "sendTime", "until");

        ObjectNode both = fullJourney();
        ((ObjectNode) both.at("/steps/wait-fixed")).put("until", "now");
        assertThat(codes(both)).contains(ProblemCode.WAIT_NEEDS_ONE);
        ObjectNode neither = fullJourney();
        ((ObjectNode) neither.at("/steps/wait-fixed")).remove("duration");
        assertThat(codes(neither)).contains(ProblemCode.WAIT_NEEDS_ONE);
    }

    @Test
    void emptyStepsAndEmptyChoicesAreRefusedByBoth() {
        assertThat(schema.at("/properties/steps/minProperties").asInt()).isEqualTo(1);
        assertThat(stepDefinition(StepType.CONDITION).at("/properties/choices/minItems").asInt()).isEqualTo(1);

        ObjectNode noChoices = fullJourney();
        ((ObjectNode) noChoices.at("/steps/check")).putArray("choices");
        assertThat(problems(noChoices)).anyMatch(p -> p.code() == ProblemCode.EMPTY_LIST
                && p.pointer().equals("/steps/check/choices"));
        ObjectNode noSteps = fullJourney();
        noSteps.putObject("steps");
        assertThat(problems(noSteps)).anyMatch(p -> p.code() == ProblemCode.EMPTY_LIST && p.pointer().equals("/steps"));
    }

    @Test
    void emptyBranchesEmptyEventsAndAnEmptySetAreRefusedByBoth() {
        Map<String, String> emptied = Map.of(
                "/steps/split/branches", "/properties/branches/minItems",
                "/steps/opened/events", "/properties/events/minItems",
                "/steps/update/set", "/properties/set/minProperties");
        emptied.forEach((at, minimum) -> {
            String step = parent(at);
            StepType type = StepType.fromJson(fullJourney().at(step).get("type").asText()).orElseThrow();
            assertThat(stepDefinition(type).at(minimum).asInt()).as(minimum).isEqualTo(1);

            ObjectNode journey = fullJourney();
            ObjectNode stepNode = (ObjectNode) journey.at(step);
            if (stepNode.get(last(at)).isArray()) {
                stepNode.putArray(last(at));
            } else {
                stepNode.putObject(last(at));
            }
            assertThat(problems(journey)).as(at)
                    .anyMatch(p -> p.code() == ProblemCode.EMPTY_LIST && p.pointer().equals(at));
        });
    }

    @Test
    void onErrorIsAllowedOnExactlyTheStepTypesWhoseRecordsCarryIt() {
        for (StepType type : StepType.values()) {
            boolean inSchema = stepDefinition(type).at("/properties/onError/$ref").asText()
                    .equals("#/$defs/stepReference");
            assertThat(inSchema).as("%s step has onError", type.jsonName())
                    .isEqualTo(JourneyFields.stepFields(type).contains("onError"));
        }
        assertThat(JourneyFields.stepFields(StepType.SPLIT)).doesNotContain("onError");
        assertThat(JourneyFields.stepFields(StepType.JUMP)).doesNotContain("onError");
        assertThat(JourneyFields.stepFields(StepType.END)).doesNotContain("onError");
    }

    @Test
    void useProfileTimeZoneIsABooleanInBoth() {
        assertThat(schema.at("/properties/useProfileTimeZone/type").asText()).isEqualTo("boolean");
        assertThat(JourneyParser.parse(FULL_JOURNEY).journey().useProfileTimeZone()).isTrue();

        ObjectNode journey = fullJourney();
        journey.put("useProfileTimeZone", "yes");
        assertThat(problems(journey)).anyMatch(p -> p.code() == ProblemCode.WRONG_TYPE
                && p.pointer().equals("/useProfileTimeZone"));
    }

    // ---- syntax of values ----

    @Test
    void theSplitPercentBoundsAcceptWhatTheParserAccepts() {
        assertPercentBoundsAgree(definition("branch").at("/properties/percent"), "/steps/split/branches/0");
    }

    @Test
    void theArmPercentBoundsAreThoseOfASplitInBoth() {
        JsonNode arm = definition("arm").at("/properties/percent");
        JsonNode branch = definition("branch").at("/properties/percent");
        for (String keyword : List.of("type", "exclusiveMinimum", "maximum")) {
            assertThat(arm.path(keyword)).as(keyword).isEqualTo(branch.path(keyword));
        }
        assertPercentBoundsAgree(arm, "/steps/test/arms/0");
    }

    @Test
    void theWinnerConfidenceBoundsAcceptWhatTheParserAccepts() {
        JsonNode confidence = definition("winner").at("/properties/confidence");
        assertThat(confidence.path("type").asText()).isEqualTo("number");
        double least = confidence.path("minimum").asDouble(Double.NaN);
        double below = confidence.path("exclusiveMaximum").asDouble(Double.NaN);
        assertThat(List.of(least, below)).containsExactly(0.5, 1.0);
        for (String value : List.of("0.5", "0.8", "0.95", "0.999", "0.49", "1", "1.0", "0", "-0.95", "1.5")) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/steps/test/winner")).set("confidence", Json.read(value));
            double number = Double.parseDouble(value);
            boolean schemaAccepts = number >= least && number < below;
            boolean parserRefuses = problems(journey).stream().anyMatch(p -> p.code() == ProblemCode.BAD_EXPERIMENT
                    && p.pointer().equals("/steps/test/winner/confidence"));
            assertThat(parserRefuses).as("confidence %s", value).isEqualTo(!schemaAccepts);
        }
    }

    @Test
    void theWinnerMinPerArmIsAWholeNumberFromOneToABillionInBoth() {
        JsonNode minPerArm = definition("winner").at("/properties/minPerArm");
        assertThat(minPerArm.path("type").asText()).isEqualTo("integer");
        assertThat(minPerArm.path("minimum").asLong()).isEqualTo(1);
        assertThat(minPerArm.path("maximum").asLong()).isEqualTo(ExperimentReader.MAX_PER_ARM);
        for (String value : List.of("1", "1000", "1000000000", "0", "-1", "1000000001", "1.5",
                "9223372036854775808", "\"100\"")) {
            ObjectNode journey = fullJourney();
            JsonNode node = Json.read(value);
            ((ObjectNode) journey.at("/steps/test/winner")).set("minPerArm", node);
            boolean schemaAccepts = node.isIntegralNumber() && node.canConvertToLong()
                    && node.asLong() >= minPerArm.path("minimum").asLong()
                    && node.asLong() <= minPerArm.path("maximum").asLong();
            assertThat(codes(journey).contains(ProblemCode.BAD_LIMIT)).as("minPerArm %s", value)
                    .isEqualTo(!schemaAccepts);
        }
    }

    @Test
    void anExperimentNeedsTwoToTenArmsAndAtMostOneControlInBoth() {
        JsonNode arms = stepDefinition(StepType.EXPERIMENT).at("/properties/arms");
        assertThat(arms.path("minItems").asInt()).isEqualTo(2);
        assertThat(arms.path("maxItems").asInt()).isEqualTo(ExperimentReader.MAX_ARMS);
        assertThat(arms.at("/contains/properties/control/const").asBoolean()).isTrue();
        assertThat(arms.at("/contains/required/0").asText()).isEqualTo("control");
        assertThat(arms.path("minContains").asInt(-1)).isZero();
        assertThat(arms.path("maxContains").asInt()).isEqualTo(1);

        ObjectNode oneArm = fullJourney();
        ((ArrayNode) oneArm.at("/steps/test/arms")).remove(1);
        ((ObjectNode) oneArm.at("/steps/test/arms/0")).put("percent", 100);
        assertThat(problems(oneArm)).extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms"));
        ObjectNode twoControls = fullJourney();
        ((ArrayNode) twoControls.at("/steps/test/arms")).add(Json.read(
                "{\"id\": \"holdout-2\", \"percent\": 10, \"next\": \"done\", \"control\": true}"));
        ((ObjectNode) twoControls.at("/steps/test/arms/0")).put("percent", 80);
        assertThat(problems(twoControls)).extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.BAD_EXPERIMENT, "/steps/test/arms"));
        for (int count : List.of(ExperimentReader.MAX_ARMS, ExperimentReader.MAX_ARMS + 1)) {
            ObjectNode journey = fullJourney();
            ArrayNode many = ((ObjectNode) journey.at("/steps/test")).putArray("arms");
            for (int i = 0; i < count; i++) {
                many.addObject().put("id", "arm-" + i).put("percent", i == 0 ? 100 - (count - 1) * 5 : 5)
                        .put("next", "done");
            }
            assertThat(codes(journey).contains(ProblemCode.BAD_EXPERIMENT)).as("%d arms", count)
                    .isEqualTo(count > arms.path("maxItems").asInt());
        }
    }

    @Test
    void theExpressionMaxLengthIsTheParsersLimitInCharacters() {
        assertThat(definition("expression").path("maxLength").asInt()).isEqualTo(ExpressionLimits.MAX_LENGTH);
        String emoji = "\uD83D\uDE00"; // JSON Schema counts characters, as the parser does, not UTF-16 units
        for (int length : List.of(ExpressionLimits.MAX_LENGTH - 1, ExpressionLimits.MAX_LENGTH,
                ExpressionLimits.MAX_LENGTH + 1)) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/entry")).put("when", "'" + emoji.repeat(length - 8) + "' != ''");
            assertThat(codes(journey).contains(ProblemCode.EXPRESSION_OVER_LIMIT)).as("length %d", length)
                    .isEqualTo(length > ExpressionLimits.MAX_LENGTH);
        }
    }

    @Test
    void theJumpTargetPatternIsTheJourneyIdPattern() {
        assertThat(stepDefinition(StepType.JUMP).at("/properties/journey/pattern").asText())
                .isEqualTo(schema.at("/properties/id/pattern").asText());
    }

    @Test
    void theRuleSetIdPatternIsTheJourneyIdPatternAndTheParserReadsIt() {
        assertThat(schema.at("/properties/rules/pattern").asText()).isEqualTo(schema.at("/properties/id/pattern").asText());
        assertThat(JourneyParser.parse(FULL_JOURNEY).journey().rules()).isEqualTo("marketing");
        Pattern pattern = schemaPattern(schema.at("/properties/rules"));
        for (String id : List.of("marketing", "m.v2_x-y", "Marketing", "-marketing", "with space", "")) {
            ObjectNode journey = fullJourney();
            journey.put("rules", id);
            assertThat(codes(journey).contains(ProblemCode.BAD_ID)).as("rules \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
        }
    }

    @Test
    void thePriorityIsAWholeNumberFromZeroToAHundredInBoth() {
        JsonNode priority = schema.at("/properties/priority");
        assertThat(priority.path("type").asText()).isEqualTo("integer");
        assertThat(priority.path("default").asInt()).isEqualTo(Journey.DEFAULT_PRIORITY);
        assertThat(JourneyParser.parse(FULL_JOURNEY).journey().priority()).isEqualTo(70);
        for (String value : List.of("0", "50", "100", "-1", "101", "50.5", "\"50\"", "null")) {
            ObjectNode journey = fullJourney();
            JsonNode node = Json.read(value);
            journey.set("priority", node);
            boolean schemaAccepts = node.isIntegralNumber() && node.asLong() >= priority.path("minimum").asLong()
                    && node.asLong() <= priority.path("maximum").asLong();
            assertThat(codes(journey)).as("priority %s", value).isEqualTo(schemaAccepts ? Set.of()
                    : Set.of(ProblemCode.BAD_RULE));
        }
    }

    @Test
    void anActionsRulesFlagIsABooleanInBoth() {
        assertThat(stepDefinition(StepType.ACTION).at("/properties/rules/type").asText()).isEqualTo("boolean");
        assertThat(((Step.Action) JourneyParser.parse(FULL_JOURNEY).journey().step("send")).ruled()).isFalse();

        ObjectNode journey = fullJourney();
        ((ObjectNode) journey.at("/steps/send")).put("rules", "no");
        assertThat(problems(journey)).extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.WRONG_TYPE, "/steps/send/rules"));
    }

    @Test
    void theClockPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("clock"));
        JsonNode window = stepDefinition(StepType.WINDOW).path("properties");
        assertThat(window.at("/from/$ref").asText()).isEqualTo("#/$defs/clock");
        assertThat(window.at("/to/$ref").asText()).isEqualTo("#/$defs/clock");
        for (String clock : List.of("00:00", "08:30", "19:59", "23:59", "24:00", "9:00", "09:5", "09:60", "0900",
                "09:00:00", "09h00", "")) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/steps/office-hours")).put("from", clock);
            assertThat(codes(journey).contains(ProblemCode.BAD_CLOCK)).as("from \"%s\"", clock)
                    .isEqualTo(!pattern.matcher(clock).find());
        }
    }

    @Test
    void windowDaysAreOneToSevenEachOnceAndNotEmptyInBoth() {
        JsonNode days = definition("days");
        assertThat(stepDefinition(StepType.WINDOW).at("/properties/days/$ref").asText()).isEqualTo("#/$defs/days");
        assertThat(days.path("minItems").asInt()).isEqualTo(1);
        assertThat(days.path("uniqueItems").asBoolean()).isTrue();
        assertThat(days.at("/items/type").asText()).isEqualTo("integer");
        assertThat(List.of(days.at("/items/minimum").asInt(), days.at("/items/maximum").asInt())).containsExactly(1, 7);
        Map<String, ProblemCode> refused = Map.of("[]", ProblemCode.EMPTY_LIST, "[0]", ProblemCode.BAD_CLOCK,
                "[8]", ProblemCode.BAD_CLOCK, "[1, 1]", ProblemCode.BAD_CLOCK, "[1.5]", ProblemCode.BAD_CLOCK,
                "[\"1\"]", ProblemCode.BAD_CLOCK, "1", ProblemCode.WRONG_TYPE);
        refused.forEach((value, code) -> {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/steps/office-hours")).set("days", Json.read(value));
            assertThat(codes(journey)).as("days %s", value).containsExactly(code);
        });
        for (String value : List.of("[1]", "[7, 6]", "[1, 2, 3, 4, 5, 6, 7]")) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/steps/office-hours")).set("days", Json.read(value));
            assertThat(problems(journey)).as("days %s", value).isEmpty();
        }
    }

    @Test
    void aWindowsTimeZoneIsTheProfilesOrAZoneInBoth() {
        assertThat(stepDefinition(StepType.WINDOW).at("/properties/timeZone/$ref").asText())
                .isEqualTo("#/$defs/zoneChoice");
        assertThat(definition("zoneChoice").path("default").asText()).isEqualTo(ZoneChoice.PROFILE.json());
        for (String zone : List.of("profile", "Europe/Paris", "UTC")) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at("/steps/office-hours")).put("timeZone", zone);
            Step.Window window = (Step.Window) JourneyParser.parse(journey.toString()).journey().step("office-hours");
            assertThat(window.timeZone().json()).isEqualTo(zone);
        }
        ObjectNode journey = fullJourney();
        ((ObjectNode) journey.at("/steps/office-hours")).put("timeZone", "Mars/Olympus_Mons");
        assertThat(problems(journey)).extracting(Problem::code, Problem::pointer)
                .containsExactly(tuple(ProblemCode.BAD_TIME_ZONE, "/steps/office-hours/timeZone"));
    }

    @Test
    void theJourneyIdPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(schema.at("/properties/id"));
        for (String id : List.of("welcome", "a", "0-start", "win.back_2", "x".repeat(64), "x".repeat(65), "Welcome",
                "-welcome", ".hidden", "with space", "é", "")) {
            ObjectNode journey = fullJourney();
            journey.put("id", id);
            assertThat(codes(journey).contains(ProblemCode.BAD_ID)).as("id \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
        }
    }

    @Test
    void theStepIdPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("stepId"));
        assertThat(schema.at("/properties/steps/propertyNames/$ref").asText()).isEqualTo("#/$defs/stepId");
        for (String id : List.of("done", "Done", "9", "send-welcome", "a.b_c", "s".repeat(64), "s".repeat(65),
                "-done", "_done", "with space", "a/b", "")) {
            ObjectNode journey = fullJourney();
            ObjectNode steps = (ObjectNode) journey.get("steps");
            steps.set(id, steps.remove("done"));
            ((ObjectNode) steps.get("wait-fixed")).put("next", id);
            ((ObjectNode) steps.get("wait-until")).put("next", id);
            assertThat(codes(journey).contains(ProblemCode.BAD_STEP_ID)).as("step id \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
        }
    }

    @Test
    void theGoalAndArmIdPatternsAcceptWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("goalId"));
        assertThat(definition("arm").at("/properties/id/pattern").asText()).isEqualTo(pattern.pattern());
        for (String id : List.of("purchased", "Bought", "9", "cart-2.v_1", "g".repeat(64), "g".repeat(65), "-x",
                "_x", "with space", "a/b", "é", "")) {
            ObjectNode goal = fullJourney();
            ((ObjectNode) goal.at("/goals/0")).put("id", id);
            ((ObjectNode) goal.at("/steps/test")).put("goal", id);
            assertThat(codes(goal).contains(ProblemCode.BAD_STEP_ID)).as("goal id \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
            ObjectNode arm = fullJourney();
            ((ObjectNode) arm.at("/steps/test/arms/0")).put("id", id);
            assertThat(codes(arm).contains(ProblemCode.BAD_STEP_ID)).as("arm id \"%s\"", id)
                    .isEqualTo(!pattern.matcher(id).find());
        }
    }

    @Test
    void theDurationPatternAcceptsWhatTheParserAccepts() {
        Pattern pattern = schemaPattern(definition("duration"));
        for (String duration : List.of("P1D", "PT30M", "PT1H", "PT90S", "PT1.5S", "P1W", "P1W2D", "P2DT3H",
                "PT1H30M5S", "P91D", "P1M", "P1Y", "P1H", "PT1D", "P1WT1H", "P", "PT", "P1DT", "1D", "P1.5D",
                "one day", "")) {
            ObjectNode journey = fullJourney();
            journey.put("timeout", duration);
            assertThat(codes(journey).contains(ProblemCode.BAD_DURATION)).as("duration \"%s\"", duration)
                    .isEqualTo(!pattern.matcher(duration).find());
        }
    }

    @Test
    void theVersionIsAnIntegerFromOneInBoth() {
        JsonNode version = schema.at("/properties/version");
        assertThat(version.path("type").asText()).isEqualTo("integer");
        assertThat(version.path("minimum").asLong()).isEqualTo(1);
        for (String value : List.of("1", "7", "2147483647", "0", "-1", "1.5", "2147483648", "\"2\"", "null")) {
            ObjectNode journey = fullJourney();
            JsonNode node = Json.read(value);
            journey.set("version", node);
            boolean schemaAccepts = node.isIntegralNumber() && node.asLong() >= version.path("minimum").asLong()
                    && node.asLong() <= version.path("maximum").asLong(Long.MAX_VALUE);
            assertThat(codes(journey).contains(ProblemCode.BAD_VERSION)).as("version %s", value)
                    .isEqualTo(!schemaAccepts);
        }
    }

    // ---- journeys in the repository ----

    static Stream<Path> journeyFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(JOBS, Files::isDirectory)) {
            for (Path job : jobs) {
                try (DirectoryStream<Path> journeys = Files.newDirectoryStream(job, "journey*.json")) {
                    journeys.forEach(files::add);
                }
            }
        }
        files.sort(null);
        return files.stream();
    }

    @Test
    void theWelcomeJobsJourneyIsAmongTheFilesChecked() throws IOException {
        assertThat(journeyFiles()).contains(JOBS.resolve("welcome").resolve("journey.json"));
    }

    @ParameterizedTest(name = "{0} is accepted by the parser")
    @MethodSource("journeyFiles")
    void everyJourneyFileOfTheJobsIsAcceptedByTheParser(Path file) throws IOException {
        ParseResult result = JourneyParser.parse(Files.readString(file));
        assertThat(result.problems()).as(file.toString()).isEmpty();
        assertThat(result.journey()).isNotNull();
    }

    // ---- helpers ----

    /** Percents the schema's bounds and the two-decimal rule of its description accept are those the parser accepts. */
    private static void assertPercentBoundsAgree(JsonNode percent, String itemAt) {
        assertThat(percent.path("type").asText()).isEqualTo("number");
        double above = percent.path("exclusiveMinimum").asDouble();
        double most = percent.path("maximum").asDouble();
        for (String value : List.of("0.01", "1", "33.33", "50.5", "99.99", "100", "100.0", "0", "-1", "100.01",
                "33.333", "0.001", "150")) {
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at(itemAt)).set("percent", Json.read(value));
            double number = Double.parseDouble(value);
            boolean twoDecimals = new java.math.BigDecimal(value).stripTrailingZeros().scale() <= 2;
            boolean schemaAccepts = number > above && number <= most && twoDecimals; // two decimals: description
            boolean parserRefuses = problems(journey).stream().anyMatch(p -> p.code() == ProblemCode.BAD_SPLIT
                    && p.pointer().equals(itemAt + "/percent"));
            assertThat(parserRefuses).as("percent %s", value).isEqualTo(!schemaAccepts);
        }
    }

    /** For each property of the object at {@code at}, removing it makes the parser report it missing iff required. */
    private static void assertRequiredAgrees(String at, JsonNode definition) {
        Set<String> required = new HashSet<>();
        definition.path("required").forEach(name -> required.add(name.asText()));
        assertThat(propertyNames(definition)).containsAll(required);
        ObjectNode sample = (ObjectNode) fullJourney().at(at);
        for (String field : propertyNames(definition)) {
            if (!sample.has(field)) {
                continue; // e.g. until on the wait that has a duration
            }
            ObjectNode journey = fullJourney();
            ((ObjectNode) journey.at(at)).remove(field);
            String pointer = at + "/" + field;
            boolean reportedMissing = problems(journey).stream()
                    .anyMatch(p -> p.code() == ProblemCode.MISSING_FIELD && p.pointer().equals(pointer));
            assertThat(reportedMissing).as("parser reports %s missing", pointer).isEqualTo(required.contains(field));
        }
        for (String field : required) {
            assertThat(sample.has(field)).as("FULL_JOURNEY has %s/%s", at, field).isTrue();
        }
    }

    private static ObjectNode fullJourney() {
        return (ObjectNode) Json.read(FULL_JOURNEY);
    }

    private static List<Problem> problems(JsonNode journey) {
        return JourneyParser.parse(journey.toString()).problems();
    }

    private static Set<ProblemCode> codes(JsonNode journey) {
        return problems(journey).stream().map(Problem::code).collect(Collectors.toSet());
    }

    private static JsonNode definition(String name) {
        return schema.path("$defs").path(name);
    }

    private static JsonNode stepDefinition(StepType type) {
        return definition(type.jsonName() + "Step");
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

    private static void assertClosed(JsonNode objectSchema, String what) {
        assertThat(objectSchema.path("type").asText()).as("%s is an object", what).isEqualTo("object");
        assertThat(objectSchema.path("additionalProperties").isBoolean()
                && !objectSchema.path("additionalProperties").booleanValue())
                .as("%s refuses unknown fields", what).isTrue();
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

    private static void checkDescribed(String at, JsonNode objectSchema, List<String> undocumented) {
        objectSchema.path("properties").fields().forEachRemaining(property -> {
            JsonNode value = property.getValue();
            boolean described = value.hasNonNull("description")
                    || (value.has("$ref") && definition(value.get("$ref").asText().substring("#/$defs/".length()))
                            .hasNonNull("description"));
            if (!described) {
                undocumented.add(at + "/properties/" + property.getKey());
            }
        });
    }

    private static String parent(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static String last(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1);
    }
}
