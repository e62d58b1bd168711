package io.journeys.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.Schema;

/**
 * Reads audience exports laid out as DESIGN §6c says: {@code <dir>/<audienceId>/<exportId>/} holds part
 * files (Avro container {@code .avro}, CSV with a header {@code .csv}, JSON lines {@code .jsonl}/{@code .json})
 * and a {@code _SUCCESS} file written last, {@code {"audienceId", "exportId", "exportedAt", "records"}}.
 * An export without {@code _SUCCESS} is not read. Each member becomes a raw record (normalised JSON); a
 * record that cannot be read becomes one that the parser turns into a dead letter with its file position.
 */
public final class AudienceExports {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    private AudienceExports() {}

    /** One complete export: its marker and its part files. */
    public record Export(String audienceId, String exportId, Instant exportedAt, long expectedRecords,
            List<Path> parts) {}

    /** The complete exports under {@code root}, per audience in {@code exportedAt} order. */
    public static List<Export> find(Path root) throws IOException {
        List<Export> exports = new ArrayList<>();
        try (Stream<Path> audiences = Files.list(root)) {
            for (Path audienceDir : audiences.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> exportDirs = Files.list(audienceDir)) {
                    for (Path exportDir : exportDirs.filter(Files::isDirectory).sorted().toList()) {
                        Path success = exportDir.resolve("_SUCCESS");
                        if (Files.exists(success)) {
                            exports.add(export(audienceDir, exportDir, success));
                        }
                    }
                }
            }
        }
        exports.sort(Comparator.comparing(Export::audienceId).thenComparing(Export::exportedAt));
        return exports;
    }

    /** Every member of every complete export under {@code root}, as raw records for the job. */
    public static List<RawRecord> read(Path root) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        String previousAudience = null;
        String previousExport = null;
        for (Export export : find(root)) {
            String previous = export.audienceId().equals(previousAudience) ? previousExport : null;
            for (Path part : export.parts()) {
                readPart(export, previous, part, records);
            }
            previousAudience = export.audienceId();
            previousExport = export.exportId();
        }
        return records;
    }

    private static Export export(Path audienceDir, Path exportDir, Path success) throws IOException {
        JsonNode marker = JSON.readTree(Files.readString(success));
        String audienceId = marker.path("audienceId").asText(audienceDir.getFileName().toString());
        String exportId = marker.path("exportId").asText(exportDir.getFileName().toString());
        Instant exportedAt = Instant.parse(marker.path("exportedAt").asText());
        List<Path> parts;
        try (Stream<Path> files = Files.list(exportDir)) {
            parts = files.filter(f -> {
                String name = f.getFileName().toString();
                return !name.startsWith("_") && !name.startsWith(".")
                        && (name.endsWith(".csv") || name.endsWith(".jsonl") || name.endsWith(".json")
                                || name.endsWith(".avro"));
            }).sorted().toList();
        }
        return new Export(audienceId, exportId, exportedAt, marker.path("records").asLong(-1), parts);
    }

    private static void readPart(Export export, String previousExportId, Path part, List<RawRecord> out)
            throws IOException {
        String origin = "file:" + part;
        String name = part.getFileName().toString();
        long position = 0;
        if (name.endsWith(".avro")) {
            try (InputStream in = Files.newInputStream(part);
                    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                for (GenericRecord record : records) {
                    ObjectNode attributes = JSON.createObjectNode();
                    for (Schema.Field field : record.getSchema().getFields()) {
                        Object value = record.get(field.name());
                        attributes.set(field.name(), value == null ? JSON.nullNode()
                                : value instanceof Number || value instanceof Boolean
                                        ? JSON.valueToTree(value) : JSON.getNodeFactory().textNode(value.toString()));
                    }
                    out.add(member(export, previousExportId, attributes, origin, ++position));
                }
            }
        } else if (name.endsWith(".csv")) {
            try (Reader reader = Files.newBufferedReader(part, StandardCharsets.UTF_8);
                    MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                            .with(CsvSchema.emptySchema().withHeader())
                            .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
                            .readValues(reader)) {
                while (true) {
                    position++;
                    Map<String, String> row;
                    try {
                        if (!rows.hasNextValue()) {
                            break;
                        }
                        row = rows.nextValue();
                    } catch (IOException | RuntimeException e) {
                        out.add(malformed(export, "Expected a CSV row matching the header, but: "
                                + e.getMessage().lines().findFirst().orElse(""), origin, position));
                        continue;
                    }
                    ObjectNode attributes = JSON.createObjectNode();
                    row.forEach((column, value) -> attributes.set(column, typed(value)));
                    out.add(member(export, previousExportId, attributes, origin, position));
                }
            }
        } else {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                position++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    if (!node.isObject()) {
                        throw new IOException("not an object");
                    }
                    out.add(member(export, previousExportId, (ObjectNode) node, origin, position));
                } catch (IOException e) {
                    out.add(malformed(export, "Expected a JSON object per line, but: "
                            + e.getMessage().lines().findFirst().orElse(""), origin, position));
                }
            }
        }
    }

    /** CSV has no types: integers, decimals and booleans are read as such, the rest as text. */
    private static JsonNode typed(String value) {
        if (value == null || value.isEmpty()) {
            return JSON.nullNode();
        }
        if (value.matches("-?\\d{1,18}")) {
            return JSON.getNodeFactory().numberNode(Long.parseLong(value));
        }
        if (value.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?")) {
            return JSON.getNodeFactory().numberNode(Double.parseDouble(value));
        }
        if (value.equals("true") || value.equals("false")) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
        }
        return JSON.getNodeFactory().textNode(value);
    }

    private static RawRecord member(Export export, String previousExportId, ObjectNode attributes, String origin,
            long position) {
        ObjectNode member = JSON.createObjectNode();
        JsonNode profileId = attributes.remove("profileId");
        if (profileId != null && !profileId.isNull()) {
            member.put("profileId", profileId.asText());
        }
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        member.put("previousExportId", previousExportId);
        member.put("exportedAt", export.exportedAt().toString());
        member.set("attributes", attributes);
        return new RawRecord(InputSource.MEMBERS, position, member.toString(), InputFormat.JSON, null, origin);
    }

    private static RawRecord malformed(Export export, String message, String origin, long position) {
        ObjectNode member = JSON.createObjectNode();
        member.put("malformed", message);
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        return new RawRecord(InputSource.MEMBERS, position, member.toString(), InputFormat.JSON, null, origin);
    }
}
