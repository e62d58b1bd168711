package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.engine.GuardRails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InputParser PARSER = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());

    private static final String EVENT = """
            {"eventId": "e-1", "profileId": "p-42", "type": "subscription.created", \
            "timestamp": "2026-01-05T10:00:00Z", "data": {"plan": "pro", "country": "FR"}}""";
    private static final String PROFILE = """
            {"profileId": "p-42", "timestamp": "2026-01-01T00:00:00Z", \
            "attributes": {"firstName": "Ana", "loginCount": 0, "timeZone": "America/New_York"}}""";

    // ---- valid inputs ----

    @Test
    void aValidEventBecomesAnEngineInputWithItsProfileTimestampDataAndId() throws IOException {
        EngineInput input = parsed(event(7, EVENT));

        assertThat(input.getProfileId()).isEqualTo("p-42");
        assertThat(input.getTimestamp()).isEqualTo(Instant.parse("2026-01-05T10:00:00Z").toEpochMilli());
        assertThat(input.getSequence()).isEqualTo(7);
        assertThat(input.getUpdate()).isNull();
        assertThat(input.getEvent().getEventId()).isEqualTo("e-1");
        assertThat(input.getEvent().getProfileId()).isEqualTo("p-42");
        assertThat(input.getEvent().getType()).isEqualTo("subscription.created");
        assertThat(input.getEvent().getTimestamp()).isEqualTo(input.getTimestamp());
        assertThat(JSON.readTree(input.getEvent().getData()))
                .isEqualTo(JSON.readTree("{\"plan\": \"pro\", \"country\": \"FR\"}"));
        assertThat(input.getEvent().getRequestId()).isNull();
    }

    @Test
    void anEventWithoutDataGetsAnEmptyObject() {
        String line = "{\"profileId\": \"p-1\", \"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\"}";
        assertThat(parsed(event(1, line)).getEvent().getData()).isEqualTo("{}");
        String nullData = "{\"profileId\": \"p-1\", \"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\", "
                + "\"data\": null}";
        assertThat(parsed(event(1, nullData)).getEvent().getData()).isEqualTo("{}");
    }

    @Test
    void anEventKeepsTheActionRequestItReactsTo() {
        String line = "{\"profileId\": \"p-1\", \"type\": \"email.opened\", \"timestamp\": \"2026-01-05T10:00:00Z\", "
                + "\"requestId\": \"r-9\"}";
        assertThat(parsed(event(1, line)).getEvent().getRequestId()).isEqualTo("r-9");
    }

    @Test
    void anEventWithoutEventIdGetsTheSameIdEachTimeItIsRead() {
        String line = "{\"profileId\": \"p-1\", \"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\", "
                + "\"data\": {\"device\": \"ios\"}}";
        String first = parsed(event(3, line)).getEvent().getEventId();
        String again = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()).parse(event(3, line))
                .input().getEvent().getEventId();
        String other = parsed(event(3, line.replace("ios", "android"))).getEvent().getEventId();

        assertThat(first).isNotBlank().isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aTimestampWithAnOffsetIsAccepted() {
        String line = EVENT.replace("2026-01-05T10:00:00Z", "2026-01-05T10:00:00+01:00");
        assertThat(parsed(event(1, line)).getTimestamp())
                .isEqualTo(Instant.parse("2026-01-05T09:00:00Z").toEpochMilli());
        String negative = EVENT.replace("2026-01-05T10:00:00Z", "2026-01-05T05:00:00.250-05:00");
        assertThat(parsed(event(1, negative)).getTimestamp())
                .isEqualTo(Instant.parse("2026-01-05T10:00:00.250Z").toEpochMilli());
    }

    @Test
    void aValidProfileUpdateBecomesAnEngineInputWithTheUpdateSet() throws IOException {
        EngineInput input = parsed(profile(2, PROFILE));

        assertThat(input.getProfileId()).isEqualTo("p-42");
        assertThat(input.getTimestamp()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(input.getSequence()).isEqualTo(2);
        assertThat(input.getEvent()).isNull();
        assertThat(input.getUpdate().getProfileId()).isEqualTo("p-42");
        assertThat(input.getUpdate().getTimestamp()).isEqualTo(input.getTimestamp());
        assertThat(JSON.readTree(input.getUpdate().getAttributes())).isEqualTo(JSON.readTree(
                "{\"firstName\": \"Ana\", \"loginCount\": 0, \"timeZone\": \"America/New_York\"}"));
    }

    @Test
    void aRecordExactlyAtThePayloadLimitIsAccepted() {
        int bytes = EVENT.getBytes(StandardCharsets.UTF_8).length;
        assertThat(new InputParser(bytes).parse(event(1, EVENT)).input()).isNotNull();
    }

    @Test
    void aParserRefusesAPayloadLimitThatIsNotPositive() {
        assertThatThrownBy(() -> new InputParser(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- INP-001 ----

    @ParameterizedTest(name = "an event line of {0} is not JSON")
    @ValueSource(strings = {"not json", "{\"profileId\": \"p-1\"", "[1, 2]", "\"a string\"", "42", "null", "",
            "{\"profileId\": \"p-1\", \"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\"} trailing",
            "{\"profileId\": \"p-1\", \"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\"}}"})
    void aRecordThatIsNotAJsonObjectIsDeadLetteredAsNotJson(String line) {
        assertDeadLetter(event(12, line), InputErrors.NOT_JSON, "events", 12);
    }

    @Test
    void aProfileLineThatIsNotAJsonObjectIsDeadLetteredAsNotJson() {
        assertDeadLetter(profile(4, "[{\"profileId\": \"p-1\"}]"), InputErrors.NOT_JSON, "profiles", 4);
    }

    // ---- INP-002 ----

    @ParameterizedTest(name = "profileId {0} counts as missing")
    @ValueSource(strings = {"", "\"profileId\": null, ", "\"profileId\": \"\", ", "\"profileId\": \"   \", "})
    void anEventWithoutAProfileIdIsDeadLetteredAsMissingProfileId(String profileId) {
        String line = "{" + profileId + "\"type\": \"login\", \"timestamp\": \"2026-01-05T10:00:00Z\"}";
        assertDeadLetter(event(5, line), InputErrors.MISSING_PROFILE_ID, "events", 5);
    }

    @Test
    void aProfileUpdateWithoutAProfileIdIsDeadLetteredAsMissingProfileId() {
        String line = "{\"timestamp\": \"2026-01-01T00:00:00Z\", \"attributes\": {\"firstName\": \"Ana\"}}";
        assertDeadLetter(profile(6, line), InputErrors.MISSING_PROFILE_ID, "profiles", 6);
    }

    // ---- INP-003 ----

    @ParameterizedTest(name = "type {0} counts as missing")
    @ValueSource(strings = {"", "\"type\": null, ", "\"type\": \" \", "})
    void anEventWithoutATypeIsDeadLetteredAsMissingType(String type) {
        String line = "{\"profileId\": \"p-1\", " + type + "\"timestamp\": \"2026-01-05T10:00:00Z\"}";
        assertDeadLetter(event(8, line), InputErrors.MISSING_TYPE, "events", 8);
    }

    // ---- INP-004 ----

    @Test
    void anEventWithoutATimestampIsDeadLetteredAsMissingTimestamp() {
        assertDeadLetter(event(9, "{\"profileId\": \"p-1\", \"type\": \"login\"}"),
                InputErrors.MISSING_TIMESTAMP, "events", 9);
    }

    @Test
    void aProfileUpdateWithoutATimestampIsDeadLetteredAsMissingTimestamp() {
        assertDeadLetter(profile(10, "{\"profileId\": \"p-1\", \"attributes\": {}}"),
                InputErrors.MISSING_TIMESTAMP, "profiles", 10);
    }

    // ---- INP-005 ----

    @ParameterizedTest(name = "timestamp \"{0}\" does not parse")
    @ValueSource(strings = {"yesterday", "2026-01-05", "2026-01-05T10:00:00", "2026-13-05T10:00:00Z",
            "2026-01-05 10:00:00Z", "1767607200000"})
    void anEventWithAnUnparsableTimestampIsDeadLetteredAsBadTimestamp(String timestamp) {
        String line = EVENT.replace("2026-01-05T10:00:00Z", timestamp);
        assertDeadLetter(event(11, line), InputErrors.BAD_TIMESTAMP, "events", 11);
    }

    /** Found by the fuzz suite (InputFuzzTest): ISO-8601 years go to a billion, epoch milliseconds do not. */
    @ParameterizedTest(name = "timestamp \"{0}\" is beyond epoch milliseconds")
    @ValueSource(strings = {"+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59+01:00"})
    void anEventWithATimestampBeyondEpochMillisecondsIsDeadLetteredAsBadTimestamp(String timestamp) {
        String line = EVENT.replace("2026-01-05T10:00:00Z", timestamp);
        assertDeadLetter(event(11, line), InputErrors.BAD_TIMESTAMP, "events", 11);
    }

    @Test
    void aProfileUpdateWithAnUnparsableTimestampIsDeadLetteredAsBadTimestamp() {
        assertDeadLetter(profile(1, PROFILE.replace("2026-01-01T00:00:00Z", "01/01/2026")),
                InputErrors.BAD_TIMESTAMP, "profiles", 1);
    }

    // ---- INP-006 ----

    @ParameterizedTest(name = "{0} is of the wrong type")
    @ValueSource(strings = {
            "\"data\": [1, 2]", "\"data\": \"plan=pro\"", "\"data\": 3",
            "\"profileId\": 42", "\"eventId\": 7", "\"type\": {\"name\": \"login\"}",
            "\"timestamp\": 1767607200000", "\"requestId\": true"})
    void anEventWithAKnownFieldOfTheWrongTypeIsDeadLetteredAsWrongFieldType(String field) throws IOException {
        JsonNode replacement = JSON.readTree("{" + field + "}");
        var node = (ObjectNode) JSON.readTree(EVENT);
        node.setAll((ObjectNode) replacement);
        assertDeadLetter(event(13, node.toString()), InputErrors.WRONG_FIELD_TYPE, "events", 13);
    }

    @ParameterizedTest(name = "a profile update with {0} is refused")
    @ValueSource(strings = {
            "{\"profileId\": \"p-1\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
            "{\"profileId\": \"p-1\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"attributes\": null}",
            "{\"profileId\": \"p-1\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"attributes\": [\"Ana\"]}",
            "{\"profileId\": \"p-1\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"attributes\": \"Ana\"}",
            "{\"profileId\": 1, \"timestamp\": \"2026-01-01T00:00:00Z\", \"attributes\": {}}"})
    void aProfileUpdateWhoseAttributesAreMissingOrNotAnObjectIsDeadLetteredAsWrongFieldType(String line) {
        assertDeadLetter(profile(14, line), InputErrors.WRONG_FIELD_TYPE, "profiles", 14);
    }

    // ---- INP-007 ----

    @Test
    void anEventLargerThanTheLimitIsDeadLetteredAsTooLargeAndKeptWhole() {
        int bytes = EVENT.getBytes(StandardCharsets.UTF_8).length;
        DeadLetter dead = assertDeadLetter(new InputParser(bytes - 1), event(15, EVENT), InputErrors.TOO_LARGE,
                "events", 15);
        assertThat(dead.getMessage()).contains(String.valueOf(bytes - 1)).contains(String.valueOf(bytes));
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        String line = PROFILE.replace("Ana", "Anaé".repeat(40));
        int chars = line.length();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(chars);
        assertDeadLetter(new InputParser(chars), profile(16, line), InputErrors.TOO_LARGE, "profiles", 16);
    }

    @Test
    void aLargeRecordIsTooLargeEvenWhenItIsNotJson() {
        String line = "x".repeat(GuardRails.DEFAULTS.maxPayloadBytes() + 1);
        assertDeadLetter(event(17, line), InputErrors.TOO_LARGE, "events", 17);
    }

    // ---- dead letters ----

    @Test
    void theSameBadRecordAlwaysGetsTheSameDeadLetterId() {
        DeadLetter first = PARSER.parse(event(18, "oops")).deadLetter();
        DeadLetter again = PARSER.parse(event(18, "oops")).deadLetter();
        DeadLetter elsewhere = PARSER.parse(event(19, "oops")).deadLetter();
        assertThat(first.getId()).isNotBlank().isEqualTo(again.getId()).isNotEqualTo(elsewhere.getId());
    }

    // ---- helpers ----

    private static RawRecord event(long line, String text) {
        return new RawRecord(InputSource.EVENTS, line, text, InputFormat.JSON, null, null, null);
    }

    private static RawRecord profile(long line, String text) {
        return new RawRecord(InputSource.PROFILES, line, text, InputFormat.JSON, null, null, null);
    }

    private static EngineInput parsed(RawRecord raw) {
        InputParser.Parsed parsed = PARSER.parse(raw);
        assertThat(parsed.deadLetter()).as("dead letter").isNull();
        assertThat(parsed.input()).isNotNull();
        return parsed.input();
    }

    private static DeadLetter assertDeadLetter(RawRecord raw, String code, String source, long line) {
        return assertDeadLetter(PARSER, raw, code, source, line);
    }

    private static DeadLetter assertDeadLetter(InputParser parser, RawRecord raw, String code, String source,
            long line) {
        InputParser.Parsed parsed = parser.parse(raw);
        assertThat(parsed.input()).as("engine input").isNull();
        DeadLetter dead = parsed.deadLetter();
        assertThat(dead).isNotNull();
        assertThat(dead.getErrorCode()).as("error code of %s", dead.getMessage()).isEqualTo(code);
        assertThat(dead.getSource()).isEqualTo(source);
        assertThat(dead.getPosition()).isEqualTo("line " + line);
        assertThat(dead.getPayload()).isEqualTo(raw.getText());
        assertThat(dead.getMessage()).isNotBlank();
        assertThat(dead.getId()).isNotBlank();
        return dead;
    }
}
