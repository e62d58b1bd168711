package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.RawRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Inputs in Avro binary (the wire schemas ProfileEvent and ProfileUpdate) go through the same checks as JSON. */
class AvroInputTest {

    private final InputParser parser = new InputParser(1024);

    @Test
    void shouldReadAnAvroProfileEvent() throws Exception {
        ProfileEvent event = new ProfileEvent("e-1", "p-1", "signup", 1_767_607_200_000L, "{\"plan\":\"pro\"}", "r-9");

        InputParser.Parsed parsed = parser.parse(avro(InputSource.EVENTS, event));

        assertThat(parsed.deadLetter()).isNull();
        assertThat(parsed.input().getEvent()).isEqualTo(event);
        assertThat(parsed.input().getTimestamp()).isEqualTo(1_767_607_200_000L);
    }

    @Test
    void shouldReadRecordAfterRecordOfEveryKindWithOneParser() throws Exception {
        ProfileEvent first = new ProfileEvent("e-1", "p-1", "signup", 1L, "{\"plan\":\"pro\"}", null);
        ProfileEvent second = new ProfileEvent("e-2", "p-2", "order", 2L, "{\"total\":12.5}", "r-1");

        // the parser keeps its Avro readers between records: nothing of one record may leak into the next
        assertThat(parser.parse(avro(InputSource.EVENTS, first)).input().getEvent()).isEqualTo(first);
        assertThat(parser.parse(avro(InputSource.PROFILES, new ProfileUpdate("p-1", 3L, "{\"a\":1}"))).input()
                .getUpdate().getAttributes()).isEqualTo("{\"a\":1}");
        assertThat(parser.parse(avro(InputSource.EVENTS, second)).input().getEvent()).isEqualTo(second);
    }

    @Test
    void shouldReadAnAvroProfileUpdate() throws Exception {
        InputParser.Parsed parsed = parser.parse(avro(InputSource.PROFILES,
                new ProfileUpdate("p-1", 1_767_607_200_000L, "{\"loginCount\":2}")));

        assertThat(parsed.input().getUpdate().getAttributes()).isEqualTo("{\"loginCount\":2}");
    }

    @Test
    void shouldDeadLetterBytesThatAreNotAnAvroRecordWithTheirOffset() {
        RawRecord garbage = new RawRecord(InputSource.EVENTS, 41L, "", InputFormat.AVRO,
                ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x01, 0x02}), "profile-events/1", null);

        InputParser.Parsed parsed = parser.parse(garbage);

        assertThat(parsed.deadLetter().getErrorCode()).isEqualTo(InputErrors.NOT_JSON);
        assertThat(parsed.deadLetter().getPosition()).isEqualTo("profile-events/1 offset 41");
        assertThat(parsed.deadLetter().getPayload()).isEqualTo("base64:/wEC");
    }

    @Test
    void shouldApplyTheSameChecksAsToJson() throws Exception {
        InputParser.Parsed blankProfile = parser.parse(avro(InputSource.EVENTS,
                new ProfileEvent("e-1", " ", "signup", 1L, "{}", null)));
        InputParser.Parsed dataNotAnObject = parser.parse(avro(InputSource.EVENTS,
                new ProfileEvent("e-1", "p-1", "signup", 1L, "[1, 2]", null)));

        assertThat(blankProfile.deadLetter().getErrorCode()).isEqualTo(InputErrors.MISSING_PROFILE_ID);
        assertThat(dataNotAnObject.deadLetter().getErrorCode()).isEqualTo(InputErrors.WRONG_FIELD_TYPE);
    }

    private static RawRecord avro(InputSource source, SpecificRecord record) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<SpecificRecord> writer = new SpecificDatumWriter<>((Class<SpecificRecord>) record.getClass());
        writer.write(record, encoder);
        encoder.flush();
        return new RawRecord(source, 7L, "", InputFormat.AVRO, ByteBuffer.wrap(bytes.toByteArray()), "topic/0", null);
    }
}
