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
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Streams the members of one part file of an audience export (Avro container {@code .avro}, CSV with a
 * header {@code .csv}, or JSON lines), one raw record at a time, so that a file of millions of members
 * never sits in memory. A record that cannot be read comes out as a "malformed" record, which the parser
 * turns into a dead letter with the file and record number.
 */
final class ExportPartReader implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    /** What every member of the export carries. */
    record ExportInfo(String audienceId, String exportId, String previousExportId, String exportedAt,
            long expectedRecords) {}

    private final ExportInfo export;
    private final String origin;
    private final BufferedReader lines;
    private final MappingIterator<Map<String, String>> csvRows;
    private final DataFileStream<GenericRecord> avroRecords;
    private long position;

    ExportPartReader(ExportInfo export, String fileName, String origin, InputStream in) throws IOException {
        this.export = export;
        this.origin = origin;
        if (fileName.endsWith(".avro")) {
            this.avroRecords = new DataFileStream<>(in, new GenericDatumReader<>());
            this.csvRows = null;
            this.lines = null;
        } else if (fileName.endsWith(".csv")) {
            this.csvRows = CSV.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
                    .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.avroRecords = null;
            this.lines = null;
        } else {
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.csvRows = null;
            this.avroRecords = null;
        }
    }

    /** The next member (or malformed record), or null at the end of the file. */
    RawRecord next() throws IOException {
        if (avroRecords != null) {
            if (!avroRecords.hasNext()) {
                return null;
            }
            GenericRecord record = avroRecords.next();
            ObjectNode attributes = JSON.createObjectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object value = record.get(field.name());
                attributes.set(field.name(), value == null ? JSON.nullNode()
                        : value instanceof Number || value instanceof Boolean
                                ? JSON.valueToTree(value) : JSON.getNodeFactory().textNode(value.toString()));
            }
            return member(attributes, ++position);
        }
        if (csvRows != null) {
            position++;
            try {
                if (!csvRows.hasNextValue()) {
                    return null;
                }
                ObjectNode attributes = JSON.createObjectNode();
                csvRows.nextValue().forEach((column, value) -> attributes.set(column, typed(value)));
                return member(attributes, position);
            } catch (IOException | RuntimeException e) {
                return malformed("Expected a CSV row matching the header, but: " + firstLine(e), position);
            }
        }
        String line;
        do {
            line = lines.readLine();
            position++;
        } while (line != null && line.isBlank());
        if (line == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return member((ObjectNode) node, position);
        } catch (IOException e) {
            return malformed("Expected a JSON object per line, but: " + firstLine(e), position);
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

    private RawRecord member(ObjectNode attributes, long at) {
        ObjectNode member = JSON.createObjectNode();
        JsonNode profileId = attributes.remove("profileId");
        if (profileId != null && !profileId.isNull()) {
            member.put("profileId", profileId.asText());
        }
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        member.put("previousExportId", export.previousExportId());
        member.put("exportedAt", export.exportedAt());
        member.put("exportRecords", export.expectedRecords());
        member.set("attributes", attributes);
        return new RawRecord(InputSource.MEMBERS, at, member.toString(), InputFormat.JSON, null, origin);
    }

    private RawRecord malformed(String message, long at) {
        ObjectNode member = JSON.createObjectNode();
        member.put("malformed", message);
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        return new RawRecord(InputSource.MEMBERS, at, member.toString(), InputFormat.JSON, null, origin);
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
        if (avroRecords != null) {
            avroRecords.close();
        } else if (csvRows != null) {
            csvRows.close();
        } else {
            lines.close();
        }
    }
}
