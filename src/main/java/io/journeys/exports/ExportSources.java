package io.journeys.exports;

import io.journeys.avro.RawRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The file source of audience exports: complete exports only, each part file read once. */
public final class ExportSources {

    private ExportSources() {}

    /** Watches the folder, listing it every {@code interval}. */
    public static DataStream<RawRecord> monitored(StreamExecutionEnvironment env, String dir, Duration interval) {
        FileSource<RawRecord> source = FileSource.forBulkFileFormat(new ExportBulkFormat(), new Path(dir))
                .setFileEnumerator(ExportFileEnumerator::new)
                .monitorContinuously(interval)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "audience-exports").uid("audience-exports");
    }

    /** Reads the complete exports present now, then ends (benchmarks, one-off loads). */
    public static DataStream<RawRecord> once(StreamExecutionEnvironment env, String dir) {
        FileSource<RawRecord> source = FileSource.forBulkFileFormat(new ExportBulkFormat(), new Path(dir))
                .setFileEnumerator(ExportFileEnumerator::new)
                .processStaticFileSet()
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "audience-exports");
    }
}
