package io.journeys.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.RawRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads audience exports laid out as DESIGN §6c says: {@code <dir>/<audienceId>/<exportId>/} holds part
 * files (Avro container {@code .avro}, CSV with a header {@code .csv}, JSON lines {@code .jsonl}/{@code .json})
 * and a {@code _SUCCESS} file written last, {@code {"audienceId", "exportId", "exportedAt", "records"}}.
 * An export without {@code _SUCCESS} is not read. Each member becomes a raw record (normalised JSON); a
 * record that cannot be read becomes one that the parser turns into a dead letter with its file position.
 */
public final class AudienceExports {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        ExportPartReader.ExportInfo info = new ExportPartReader.ExportInfo(export.audienceId(), export.exportId(),
                previousExportId, export.exportedAt(), export.expectedRecords());
        try (ExportPartReader reader = new ExportPartReader(info, part.getFileName().toString(), "file:" + part,
                Files.newInputStream(part))) {
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                out.add(record);
            }
        }
    }
}
