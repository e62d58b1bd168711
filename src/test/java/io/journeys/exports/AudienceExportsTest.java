package io.journeys.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.RawRecord;
import io.journeys.job.InputParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audience export folders: complete exports only, three file formats, the previous export, malformed records. */
class AudienceExportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InputParser parser = new InputParser(65536);

    @TempDir
    Path root;

    @Test
    void shouldReadCompleteExportsInOrderWithTheirPreviousExport() throws Exception {
        export("vip", "w2", "2026-06-08T00:00:00Z", "part-0.jsonl", "{\"profileId\": \"p2\", \"tier\": \"gold\"}\n");
        export("vip", "w1", "2026-06-01T00:00:00Z", "part-0.csv", "profileId,tier,score,active\np1,silver,4.5,true\n");
        Path incomplete = Files.createDirectories(root.resolve("vip/w3"));
        Files.writeString(incomplete.resolve("part-0.jsonl"), "{\"profileId\": \"p3\"}\n");

        List<EngineInput> members = AudienceExports.read(root).stream().map(r -> parser.parse(r).input()).toList();

        assertThat(members).extracting(m -> m.getMember().getExportId() + ":" + m.getProfileId() + ":"
                + m.getMember().getPreviousExportId()).containsExactly("w1:p1:null", "w2:p2:w1");
        JsonNode attributes = JSON.readTree(members.get(0).getMember().getAttributes());
        assertThat(attributes.get("score").isDouble()).isTrue();
        assertThat(attributes.get("active").isBoolean()).isTrue();
        assertThat(attributes.has("profileId")).isFalse();
        assertThat(members.get(1).getTimestamp()).isEqualTo(java.time.Instant.parse("2026-06-08T00:00:00Z").toEpochMilli());
    }

    @Test
    void shouldReadAvroContainerFiles() throws Exception {
        Path dir = export("churn", "e1", "2026-06-01T00:00:00Z", "ignored.txt", "");
        Schema schema = SchemaBuilder.record("Member").fields()
                .requiredString("profileId").requiredInt("score").optionalString("country").endRecord();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, dir.resolve("part-0.avro").toFile());
            for (int i = 0; i < 3; i++) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("profileId", "a" + i);
                record.put("score", i);
                record.put("country", i == 2 ? null : "FR");
                writer.append(record);
            }
        }

        List<RawRecord> records = AudienceExports.read(root);

        assertThat(records).hasSize(3);
        EngineInput last = parser.parse(records.get(2)).input();
        assertThat(last.getProfileId()).isEqualTo("a2");
        assertThat(last.getMember().getAttributes()).isEqualTo("{\"score\":2,\"country\":null}");
    }

    @Test
    void shouldDeadLetterMalformedRecordsWithTheirFileAndRecordNumber() throws Exception {
        export("vip", "w1", "2026-06-01T00:00:00Z", "part-0.csv", "profileId,tier\np1,gold\np2,gold,extra\n");
        export("vip", "w2", "2026-06-08T00:00:00Z", "part-0.jsonl", "{\"profileId\": \"p1\"}\nnot json\n");

        List<DeadLetter> letters = AudienceExports.read(root).stream().map(r -> parser.parse(r).deadLetter())
                .filter(java.util.Objects::nonNull).toList();

        assertThat(letters).extracting(DeadLetter::getErrorCode).containsExactly("AUD-001", "AUD-001");
        assertThat(letters.get(0).getPosition()).endsWith("vip/w1/part-0.csv record 2");
        assertThat(letters.get(1).getPosition()).endsWith("vip/w2/part-0.jsonl record 2");
    }

    @Test
    void shouldTypeCsvCellsAsIntegersDecimalsBooleansOrText() {
        assertThat(ExportPartReader.typed("-12")).isEqualTo(-12L);
        assertThat(ExportPartReader.typed("007")).isEqualTo(7L);
        assertThat(ExportPartReader.typed("123456789012345678")).isEqualTo(123456789012345678L);
        assertThat(ExportPartReader.typed("1234567890123456789")).isEqualTo("1234567890123456789");
        assertThat(ExportPartReader.typed("4.5")).isEqualTo(4.5);
        assertThat(ExportPartReader.typed("-1.5e3")).isEqualTo(-1500.0);
        assertThat(ExportPartReader.typed("2.0E+2")).isEqualTo(200.0);
        assertThat(ExportPartReader.typed("1.")).isEqualTo("1.");
        assertThat(ExportPartReader.typed(".5")).isEqualTo(".5");
        assertThat(ExportPartReader.typed("1.5e")).isEqualTo("1.5e");
        assertThat(ExportPartReader.typed("-")).isEqualTo("-");
        assertThat(ExportPartReader.typed("12a")).isEqualTo("12a");
        assertThat(ExportPartReader.typed("true")).isEqualTo(true);
        assertThat(ExportPartReader.typed("True")).isEqualTo("True");
        assertThat(ExportPartReader.typed("")).isNull();
    }

    @Test
    void shouldDeadLetterMembersWithoutProfileIdOrOverThePayloadLimit() throws Exception {
        export("vip", "w1", "2026-06-01T00:00:00Z", "part-0.csv",
                "profileId,note\n,no id\n  ,blank id\np3," + "x".repeat(500) + "\np4,fine\n");
        InputParser smallLimit = new InputParser(400);

        List<InputParser.Parsed> parsed = AudienceExports.read(root).stream().map(smallLimit::parse).toList();

        assertThat(parsed).extracting(p -> p.deadLetter() == null ? "ok:" + p.input().getProfileId()
                : p.deadLetter().getErrorCode()).containsExactly("INP-002", "INP-002", "INP-007", "ok:p4");
        assertThat(parsed.get(2).deadLetter().getPayload()).contains("p3").contains("xxxx");
    }

    private Path export(String audience, String exportId, String exportedAt, String part, String content)
            throws Exception {
        Path dir = Files.createDirectories(root.resolve(audience).resolve(exportId));
        Files.writeString(dir.resolve(part), content);
        Files.writeString(dir.resolve("_SUCCESS"), "{\"audienceId\": \"" + audience + "\", \"exportId\": \"" + exportId
                + "\", \"exportedAt\": \"" + exportedAt + "\", \"records\": 1}");
        return dir;
    }
}
