package io.journeys.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.RawRecord;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import io.journeys.testing.Fuzz;
import io.journeys.testing.InputGenerators;
import io.journeys.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the reader of audience export part files (CSV, JSON lines, Avro containers) and the parser after it:
 * valid files, and files cut, flipped, spliced with noise or replaced by garbage. Reading never throws and
 * always ends; every record becomes a member or a dead letter with a documented code; every member of a valid
 * file comes out, in order.
 */
class ExportFileFuzzTest {

    private static final int CASES = 12_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InputParser PARSER = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());
    private static final ExportPartReader.ExportInfo EXPORT = new ExportPartReader.ExportInfo("vip", "x-2", "x-1",
            Instant.parse("2026-01-05T00:00:00Z"), -1);
    private static final Schema MEMBER = SchemaBuilder.record("Member").fields()
            .requiredString("profileId")
            .optionalString("plan")
            .requiredLong("orders")
            .requiredDouble("score")
            .requiredBoolean("vip")
            .endRecord();

    /** A part file: its name (which says its format), its bytes, and the profile ids of its members if valid. */
    record Part(String name, byte[] bytes, List<String> profileIds) {}

    @Test
    void shouldTurnEveryRecordOfEveryExportFileIntoAMemberOrADocumentedDeadLetter() {
        Fuzz.Tally tally = Fuzz.run("audience export files", CASES, ExportFileFuzzTest::check);
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 5);
    }

    private static void check(Random random, Fuzz.Tally tally) throws Exception {
        Part valid = validPart(random);
        int choice = random.nextInt(10);
        if (choice < 3) {
            List<String> members = new ArrayList<>();
            for (RawRecord record : read(valid)) {
                InputParser.Parsed parsed = PARSER.parse(record);
                assertThat(parsed.deadLetter()).as("a member of a valid %s", valid.name()).isNull();
                members.add(parsed.input().getMember().getProfileId());
            }
            assertThat(members).as("members of a valid %s", valid.name()).isEqualTo(valid.profileIds());
            tally.valid();
            return;
        }
        byte[] bytes = choice < 9 ? Mutations.mutateBytes(valid.bytes(), random) : Mutations.garbage(random, 400);
        Part hostile = new Part(valid.name(), bytes, null);
        boolean anyBad = false;
        for (RawRecord record : read(hostile)) {
            InputParser.Parsed parsed = PARSER.parse(record);
            assertThat(parsed.input() == null).isNotEqualTo(parsed.deadLetter() == null);
            if (parsed.deadLetter() != null) {
                Fuzz.assertDocumented(parsed.deadLetter().getErrorCode(), record);
                tally.bad(parsed.deadLetter().getErrorCode());
                anyBad = true;
            }
        }
        if (!anyBad) {
            tally.valid(); // what was left of the file still read as members
        }
    }

    /** Every record of the file; a reader that throws or never ends fails the case. */
    private static List<RawRecord> read(Part part) throws Exception {
        List<RawRecord> records = new ArrayList<>();
        try (ExportPartReader reader = new ExportPartReader(EXPORT, part.name(), "file:/exports/vip/x-2/" + part.name(),
                new ByteArrayInputStream(part.bytes()))) {
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
                assertThat(records.size()).as("records of a file of %d bytes", part.bytes().length)
                        .isLessThanOrEqualTo(part.bytes().length + 2);
            }
        }
        return records;
    }

    private static Part validPart(Random random) throws Exception {
        int members = 1 + random.nextInt(5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ids.add(InputGenerators.profileId(random).replace("\u0000", "0"));
        }
        switch (random.nextInt(3)) {
            case 0: {
                StringBuilder csv = new StringBuilder("profileId,plan,orders,score,vip\n");
                for (String id : ids) {
                    csv.append('"').append(id.replace("\"", "\"\"")).append("\",")
                            .append(Mutations.pick(random, List.of("pro", "", "\"a,b\"", "Ωmega"))).append(',')
                            .append(random.nextInt(100)).append(',').append(random.nextDouble()).append(',')
                            .append(random.nextBoolean()).append('\n');
                }
                return new Part("part-0.csv", csv.toString().getBytes(StandardCharsets.UTF_8), ids);
            }
            case 1: {
                StringBuilder lines = new StringBuilder();
                for (String id : ids) {
                    lines.append("{\"profileId\":").append(JSON.writeValueAsString(id)).append(",\"attributes\":")
                            .append(InputGenerators.object(random)).append("}\n");
                    if (random.nextInt(4) == 0) {
                        lines.append("\n"); // blank lines are skipped
                    }
                }
                return new Part("part-0.jsonl", lines.toString().getBytes(StandardCharsets.UTF_8), ids);
            }
            default: {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(MEMBER))) {
                    byte[] sync = new byte[16]; // Avro draws a random one otherwise: the case would not replay
                    random.nextBytes(sync);
                    writer.create(MEMBER, bytes, sync);
                    for (String id : ids) {
                        GenericRecord member = new GenericData.Record(MEMBER);
                        member.put("profileId", id);
                        member.put("plan", random.nextBoolean() ? null : "pro");
                        member.put("orders", random.nextLong());
                        member.put("score", random.nextDouble());
                        member.put("vip", random.nextBoolean());
                        writer.append(member);
                    }
                }
                return new Part("part-0.avro", bytes.toByteArray(), ids);
            }
        }
    }
}
