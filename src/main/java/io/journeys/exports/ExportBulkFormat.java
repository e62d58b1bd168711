package io.journeys.exports;

import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one part file of an audience export into raw member records, in batches. Its position is the
 * number of records already emitted, so a restore after a failure skips exactly those. The export's
 * marker gives the audience, export id and time; the latest earlier complete export of the audience is
 * the previous one (for incremental journeys).
 */
final class ExportBulkFormat implements BulkFormat<RawRecord, FileSourceSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ExportBulkFormat.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1_000;

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new PartReader(split, 0);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long emitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new PartReader(split, emitted);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return AvroRecords.typeInfo(RawRecord.class);
    }

    private static final class PartReader implements BulkFormat.Reader<RawRecord> {
        private final ExportPartReader records;
        private final ExportPartReader.ExportInfo export;
        private final Path path;
        private long emitted;

        PartReader(FileSourceSplit split, long alreadyEmitted) throws IOException {
            this.path = split.path();
            this.export = exportOf(path);
            FileSystem fs = path.getFileSystem();
            InputStream in = fs.open(path);
            this.records = new ExportPartReader(export, path.getName(), "file:" + path, in);
            for (long skipped = 0; skipped < alreadyEmitted; skipped++) {
                if (records.next() == null) {
                    break;
                }
            }
            this.emitted = alreadyEmitted;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            RawRecord[] batch = new RawRecord[BATCH];
            int count = 0;
            RawRecord record;
            while (count < BATCH && (record = records.next()) != null) {
                batch[count++] = record;
            }
            if (count == 0) {
                LOG.info("Audience {} export {}: read {} records from {} (the export announces {} in all)",
                        export.audienceId(), export.exportId(), emitted, path, export.expectedRecords());
                return null;
            }
            ArrayResultIterator<RawRecord> iterator = new ArrayResultIterator<>();
            iterator.set(batch, count, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += count;
            return iterator;
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }

    /** The export a part file belongs to, from its folder's marker and its siblings' markers. */
    static ExportPartReader.ExportInfo exportOf(Path part) throws IOException {
        Path exportDir = part.getParent();
        Path audienceDir = exportDir.getParent();
        FileSystem fs = part.getFileSystem();
        JsonNode marker = readMarker(fs, exportDir);
        Instant exportedAt = Instant.parse(marker.path("exportedAt").asText());
        String previous = null;
        Instant previousAt = Instant.MIN;
        for (FileStatus sibling : fs.listStatus(audienceDir)) {
            if (!sibling.isDir() || sibling.getPath().equals(exportDir)
                    || !fs.exists(new Path(sibling.getPath(), "_SUCCESS"))) {
                continue;
            }
            JsonNode other = readMarker(fs, sibling.getPath());
            Instant at = Instant.parse(other.path("exportedAt").asText());
            if (at.isBefore(exportedAt) && at.isAfter(previousAt)) {
                previousAt = at;
                previous = other.path("exportId").asText(sibling.getPath().getName());
            }
        }
        return new ExportPartReader.ExportInfo(marker.path("audienceId").asText(audienceDir.getName()),
                marker.path("exportId").asText(exportDir.getName()), previous, exportedAt,
                marker.path("records").asLong(-1));
    }

    private static JsonNode readMarker(FileSystem fs, Path exportDir) throws IOException {
        try (InputStream in = fs.open(new Path(exportDir, "_SUCCESS"))) {
            return JSON.readTree(in);
        }
    }
}
