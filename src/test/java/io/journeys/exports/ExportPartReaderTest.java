package io.journeys.exports;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.RawRecord;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Part files that cannot be read, found by the fuzz suite (ExportFileFuzzTest): dead letters, not a failed job. */
class ExportPartReaderTest {

    private static final InputParser PARSER = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());
    private static final ExportPartReader.ExportInfo EXPORT = new ExportPartReader.ExportInfo("vip", "x-1", null,
            Instant.parse("2026-01-05T00:00:00Z"), -1);
    private static final Schema MEMBER = SchemaBuilder.record("Member").fields().requiredString("profileId")
            .requiredLong("orders").endRecord();

    @Test
    void shouldTurnAFileThatIsNotAnAvroContainerIntoOneDeadLetter() throws Exception {
        List<String> codes = codes("part-0.avro", "not avro at all".getBytes(StandardCharsets.UTF_8));

        assertThat(codes).containsExactly("AUD-001");
    }

    @Test
    void shouldKeepTheMembersBeforeACorruptAvroBlockAndDeadLetterTheRest() throws Exception {
        byte[] both = twoBlocks();
        byte[] cut = Arrays.copyOf(both, both.length - 3);

        List<String> codes = codes("part-0.avro", cut);

        assertThat(codes).containsExactly("p-1", "p-2", "AUD-001");
    }

    @Test
    void shouldTurnAnEmptyCsvFileIntoOneDeadLetter() throws Exception {
        assertThat(codes("part-0.csv", new byte[0])).containsExactly("AUD-001");
    }

    /** The profile id of each member, or the code of each dead letter, in file order. */
    private static List<String> codes(String name, byte[] bytes) throws Exception {
        List<String> out = new ArrayList<>();
        try (ExportPartReader reader = new ExportPartReader(EXPORT, name, "file:/x/" + name,
                new ByteArrayInputStream(bytes))) {
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                InputParser.Parsed parsed = PARSER.parse(record);
                out.add(parsed.deadLetter() != null ? parsed.deadLetter().getErrorCode()
                        : parsed.input().getMember().getProfileId());
            }
        }
        return out;
    }

    /** A container of two blocks: p-1 and p-2, then p-3 (which the test cuts). */
    private static byte[] twoBlocks() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(MEMBER))) {
            writer.create(MEMBER, bytes);
            writer.append(member("p-1"));
            writer.append(member("p-2"));
            writer.sync(); // ends the first block
            writer.append(member("p-3"));
        }
        return bytes.toByteArray();
    }

    private static GenericRecord member(String id) {
        GenericRecord member = new GenericData.Record(MEMBER);
        member.put("profileId", id);
        member.put("orders", 1L);
        return member;
    }
}
