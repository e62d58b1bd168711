package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.EngineInput;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.RawRecord;
import io.journeys.engine.GuardRails;
import io.journeys.testing.Fuzz;
import io.journeys.testing.InputGenerators;
import io.journeys.testing.Mutations;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parser of every streamed input (events, profile updates, qualifications; JSON and Avro): valid
 * inputs, inputs broken in a known way, and random mutations of valid ones. Nothing may throw; every input
 * becomes exactly one engine input or one dead letter with a documented code; a valid input is never lost; an
 * input broken in a known way gets the code of what is broken.
 */
class InputFuzzTest {

    private static final int CASES = 12_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InputParser PARSER = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());

    @Test
    void shouldTurnEveryEventIntoAnInputOrADocumentedDeadLetter() {
        Fuzz.Tally tally = Fuzz.run("events", CASES, (random, t) -> check(InputSource.EVENTS, random, t));
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    @Test
    void shouldTurnEveryProfileUpdateIntoAnInputOrADocumentedDeadLetter() {
        Fuzz.Tally tally = Fuzz.run("profile updates", CASES, (random, t) -> check(InputSource.PROFILES, random, t));
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    @Test
    void shouldTurnEveryQualificationIntoAnInputOrADocumentedDeadLetter() {
        Fuzz.Tally tally = Fuzz.run("qualifications", CASES,
                (random, t) -> check(InputSource.QUALIFICATIONS, random, t));
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    /** A valid input (3 in 10), one broken in a known way (3 in 10) or a random mutation, in JSON or Avro. */
    private static void check(InputSource source, Random random, Fuzz.Tally tally) throws Exception {
        ObjectNode valid = InputGenerators.valid(source, random);
        // a lone surrogate has no UTF-8 form: no producer can put it in an Avro record
        boolean avro = random.nextInt(4) == 0 && hasUtf8Form(valid.toString());
        int choice = random.nextInt(10);
        if (choice < 3) {
            RawRecord raw = avro ? avro(source, valid) : json(source, valid.toString());
            InputParser.Parsed parsed = parse(raw);
            assertThat(parsed.deadLetter()).as("a valid input %s", valid).isNull();
            assertSameInput(source, valid, parsed.input());
            tally.valid();
        } else if (choice < 6 && !avro) {
            InputGenerators.Broken broken = InputGenerators.broken(source, valid, random);
            InputParser.Parsed parsed = parse(json(source, broken.text()));
            assertThat(parsed.input()).as("a broken input %s", Mutations.shorten(broken.text())).isNull();
            assertThat(parsed.deadLetter().getErrorCode()).as(Mutations.shorten(broken.text())).isEqualTo(broken.code());
            Fuzz.assertDocumented(parsed.deadLetter().getErrorCode(), broken.text());
            tally.bad(broken.code());
        } else {
            RawRecord raw = avro
                    ? avroBytes(source, random.nextInt(5) == 0 ? Mutations.garbage(random, 200)
                            : Mutations.mutateBytes(avroBytesOf(source, valid), random))
                    : json(source, Mutations.mutateJson(valid.toString(), random));
            InputParser.Parsed parsed = parse(raw);
            if (parsed.deadLetter() != null) {
                Fuzz.assertDocumented(parsed.deadLetter().getErrorCode(), raw);
                assertThat(parsed.deadLetter().getPayload()).as("the dead letter keeps the input whole").isNotNull();
                tally.bad(parsed.deadLetter().getErrorCode());
            } else {
                assertThat(parsed.input().getProfileId()).isNotBlank();
                tally.valid();
            }
        }
    }

    private static boolean hasUtf8Form(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
    }

    /** Exactly one of an input and a dead letter, whatever the raw record. */
    private static InputParser.Parsed parse(RawRecord raw) {
        InputParser.Parsed parsed = PARSER.parse(raw);
        assertThat(parsed.input() == null).as("exactly one of input and dead letter").isNotEqualTo(
                parsed.deadLetter() == null);
        return parsed;
    }

    private static void assertSameInput(InputSource source, ObjectNode generated, EngineInput input) throws Exception {
        // the values as a reader of the text sees them (1E-22 and 1.0E-22 are one number)
        JsonNode valid = JSON.readTree(generated.toString());
        assertThat(input.getProfileId()).isEqualTo(valid.get("profileId").textValue());
        long timestamp = InputGenerators.epochMillis(valid.get("timestamp").textValue());
        assertThat(input.getTimestamp()).isEqualTo(timestamp);
        switch (source) {
            case EVENTS -> {
                assertThat(input.getEvent().getType()).isEqualTo(valid.get("type").textValue());
                JsonNode data = valid.get("data");
                assertThat(JSON.readTree(input.getEvent().getData()))
                        .isEqualTo(data == null || data.isNull() ? JSON.createObjectNode() : data);
            }
            case PROFILES -> assertThat(JSON.readTree(input.getUpdate().getAttributes()))
                    .isEqualTo(valid.get("attributes"));
            case QUALIFICATIONS -> {
                assertThat(input.getQualification().getAudienceId()).isEqualTo(valid.get("audienceId").textValue());
                assertThat(input.getQualification().getStatus()).isEqualTo(valid.get("status").textValue());
            }
            default -> throw new AssertionError("Expected a streamed source, but found " + source);
        }
    }

    private static RawRecord json(InputSource source, String text) {
        return new RawRecord(source, 1L, text, InputFormat.JSON, null, "profile-events/0", null);
    }

    private static RawRecord avro(InputSource source, ObjectNode valid) throws Exception {
        return avroBytes(source, avroBytesOf(source, valid));
    }

    private static RawRecord avroBytes(InputSource source, byte[] bytes) {
        return new RawRecord(source, 1L, "", InputFormat.AVRO, ByteBuffer.wrap(bytes), "profile-events/0", null);
    }

    /** The wire record of a valid input (Avro carries epoch milliseconds and JSON texts). */
    static byte[] avroBytesOf(InputSource source, ObjectNode valid) throws Exception {
        long at = InputGenerators.epochMillis(valid.get("timestamp").textValue());
        String profileId = valid.get("profileId").textValue();
        SpecificRecord record = switch (source) {
            case EVENTS -> new ProfileEvent(valid.path("eventId").textValue(), profileId, valid.get("type").textValue(),
                    at, valid.has("data") && !valid.get("data").isNull() ? valid.get("data").toString() : "{}",
                    valid.path("requestId").textValue());
            case PROFILES -> new ProfileUpdate(profileId, at, valid.get("attributes").toString());
            default -> new AudienceQualification(profileId, valid.get("audienceId").textValue(),
                    valid.get("status").textValue(), at);
        };
        if (record instanceof ProfileEvent event && event.getEventId() == null) {
            event.setEventId("e-" + at);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>((Class<SpecificRecord>) record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    @Test
    void theFuzzSuiteKnowsTheDocumentedCodes() {
        assertThat(Fuzz.documentedCodes()).contains("INP-001", "INP-007", "AUD-001", "JRN-001", "ACT-003", "CAL-002",
                "ENG-004").doesNotContain("INP-999");
        assertThat(List.of(InputErrors.NOT_JSON, InputErrors.MISSING_PROFILE_ID, InputErrors.MISSING_TYPE,
                InputErrors.MISSING_TIMESTAMP, InputErrors.BAD_TIMESTAMP, InputErrors.WRONG_FIELD_TYPE,
                InputErrors.TOO_LARGE, InputErrors.BAD_EXPORT_RECORD)).allMatch(Fuzz.documentedCodes()::contains);
    }
}
