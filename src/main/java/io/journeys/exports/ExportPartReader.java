package io.journeys.exports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    private static final String PROFILE_ID = "profileId";

    /** What every member of the export carries. */
    record ExportInfo(String audienceId, String exportId, String previousExportId, Instant exportedAt,
            long expectedRecords) {}

    private final ExportInfo export;
    private final String origin;
    private final BufferedReader lines;
    private final MappingIterator<Map<String, String>> csvRows;
    private final DataFileStream<GenericRecord> avroRecords;
    /** Why the file cannot be read on (its header, an Avro block): told once as a malformed record, then the end. */
    private String unreadable;
    private long position;

    ExportPartReader(ExportInfo export, String fileName, String origin, InputStream in) throws IOException {
        this.export = export;
        this.origin = origin;
        if (fileName.endsWith(".avro")) {
            this.avroRecords = avroStream(in);
            this.csvRows = null;
            this.lines = null;
        } else if (fileName.endsWith(".csv")) {
            this.csvRows = csvRows(in);
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
        if (unreadable != null) {
            return unreadableRecord();
        }
        if (avroRecords != null) {
            return nextAvro();
        }
        if (csvRows != null) {
            position++;
            try {
                if (!csvRows.hasNextValue()) {
                    return null;
                }
                AttributesWriter attributes = new AttributesWriter();
                String profileId = null;
                for (Map.Entry<String, String> column : csvRows.nextValue().entrySet()) {
                    if (column.getKey().equals(PROFILE_ID)) {
                        profileId = column.getValue();
                    } else {
                        attributes.field(column.getKey(), typed(column.getValue()));
                    }
                }
                return member(profileId == null || profileId.isEmpty() ? null : profileId, attributes.close(),
                        position);
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
            JsonNode profileId = ((ObjectNode) node).remove(PROFILE_ID);
            return member(profileId == null || profileId.isNull() ? null : profileId.asText(), node.toString(),
                    position);
        } catch (IOException e) {
            return malformed("Expected a JSON object per line, but: " + firstLine(e), position);
        }
    }

    /**
     * A corrupt container (bad magic, schema, sync marker or block) cannot be read past the damage: the first
     * failure becomes one malformed record, and the file ends there rather than failing the job, which would only
     * read the same bytes again after its restart.
     */
    private DataFileStream<GenericRecord> avroStream(InputStream in) {
        try {
            return new DataFileStream<>(in, new GenericDatumReader<>());
        } catch (IOException | RuntimeException e) {
            unreadable = "Expected an Avro container file, but: " + firstLine(e);
            try {
                in.close(); // close() has no stream to close it through
            } catch (IOException ignored) {
                // nothing more was to be read from it
            }
            return null;
        }
    }

    private RawRecord nextAvro() {
        try {
            if (!avroRecords.hasNext()) {
                return null;
            }
            position++;
            GenericRecord record = avroRecords.next();
            AttributesWriter attributes = new AttributesWriter();
            String profileId = null;
            for (Schema.Field field : record.getSchema().getFields()) {
                Object value = record.get(field.pos());
                if (field.name().equals(PROFILE_ID)) {
                    profileId = value == null ? null : value.toString();
                } else {
                    attributes.field(field.name(), value);
                }
            }
            return member(profileId, attributes.close(), position);
        } catch (IOException | RuntimeException e) {
            unreadable = "Expected Avro records, but after record " + (position - 1) + " the file does not read ("
                    + firstLine(e) + "); the rest of it is skipped";
            return unreadableRecord();
        }
    }

    /** A CSV file whose header does not read (an empty file has none) is one malformed record. */
    private MappingIterator<Map<String, String>> csvRows(InputStream in) throws IOException {
        try {
            return CSV.readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
                    .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            unreadable = "Expected a CSV header line, but: " + firstLine(e);
            in.close(); // close() has no reader to close it through
            return null;
        }
    }

    /** The malformed record of a file that cannot be read on, once; then its end. */
    private RawRecord unreadableRecord() {
        if (unreadable.isEmpty()) {
            return null;
        }
        String message = unreadable;
        unreadable = "";
        return malformed(message, Math.max(position, 1));
    }

    /**
     * CSV has no types: integers, decimals and booleans are read as such, the rest as text (no regular
     * expressions: this runs for every cell of every member).
     */
    static Object typed(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (isInteger(value)) {
            return Long.parseLong(value);
        }
        if (isDecimal(value)) {
            return Double.parseDouble(value);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        return value;
    }

    /** {@code -?\d{1,18}}: fits a long. */
    private static boolean isInteger(String value) {
        int start = value.charAt(0) == '-' ? 1 : 0;
        int digits = digitsFrom(value, start);
        return digits >= 1 && digits <= 18 && start + digits == value.length();
    }

    /** {@code -?\d+\.\d+([eE][-+]?\d+)?}. */
    private static boolean isDecimal(String value) {
        int at = value.charAt(0) == '-' ? 1 : 0;
        int whole = digitsFrom(value, at);
        at += whole;
        if (whole == 0 || at >= value.length() || value.charAt(at) != '.') {
            return false;
        }
        int fraction = digitsFrom(value, ++at);
        at += fraction;
        if (fraction == 0) {
            return false;
        }
        if (at == value.length()) {
            return true;
        }
        if (value.charAt(at) != 'e' && value.charAt(at) != 'E') {
            return false;
        }
        at++;
        if (at < value.length() && (value.charAt(at) == '-' || value.charAt(at) == '+')) {
            at++;
        }
        int exponent = digitsFrom(value, at);
        return exponent > 0 && at + exponent == value.length();
    }

    private static int digitsFrom(String value, int start) {
        int at = start;
        while (at < value.length() && value.charAt(at) >= '0' && value.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    /**
     * A member read into fields, so the parser needs no JSON round trip. A member whose profile id is
     * missing or blank goes the JSON way instead, where the parser turns it into the same dead letter as
     * any input without a profile id.
     */
    private RawRecord member(String profileId, String attributes, long at) throws IOException {
        if (profileId != null && !profileId.isBlank()) {
            return new RawRecord(InputSource.MEMBERS, at, "", InputFormat.JSON, null, origin,
                    new AudienceMember(profileId, export.audienceId(), export.exportId(), export.previousExportId(),
                            export.exportedAt().toEpochMilli(), attributes));
        }
        ObjectNode member = JSON.createObjectNode();
        if (profileId != null) {
            member.put(PROFILE_ID, profileId);
        }
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        member.put("previousExportId", export.previousExportId());
        member.put("exportedAt", export.exportedAt().toString());
        member.put("exportRecords", export.expectedRecords());
        member.set("attributes", JSON.readTree(attributes));
        return new RawRecord(InputSource.MEMBERS, at, member.toString(), InputFormat.JSON, null, origin, null);
    }

    /** Writes a member's attributes as one JSON object text, field by field. */
    private static final class AttributesWriter {
        private final StringWriter text = new StringWriter(64);
        private final JsonGenerator json;

        AttributesWriter() throws IOException {
            json = JSON.getFactory().createGenerator(text);
            json.writeStartObject();
        }

        void field(String name, Object value) throws IOException {
            json.writeFieldName(name);
            if (value == null) {
                json.writeNull();
            } else if (value instanceof Long number) {
                json.writeNumber(number);
            } else if (value instanceof Integer number) {
                json.writeNumber(number);
            } else if (value instanceof Double number) {
                json.writeNumber(number);
            } else if (value instanceof Float number) {
                json.writeNumber(number);
            } else if (value instanceof Number number) {
                json.writeNumber(number.toString());
            } else if (value instanceof Boolean flag) {
                json.writeBoolean(flag);
            } else {
                json.writeString(value.toString());
            }
        }

        String close() throws IOException {
            json.writeEndObject();
            json.close();
            return text.toString();
        }
    }

    private RawRecord malformed(String message, long at) {
        ObjectNode member = JSON.createObjectNode();
        member.put("malformed", message);
        member.put("audienceId", export.audienceId());
        member.put("exportId", export.exportId());
        return new RawRecord(InputSource.MEMBERS, at, member.toString(), InputFormat.JSON, null, origin, null);
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
        // a file whose header did not read was closed then
        if (avroRecords != null) {
            avroRecords.close();
        } else if (csvRows != null) {
            csvRows.close();
        } else if (lines != null) {
            lines.close();
        }
    }
}
