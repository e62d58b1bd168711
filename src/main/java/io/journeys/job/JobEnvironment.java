package io.journeys.job;

import org.apache.flink.configuration.Configuration;

/** The Flink configuration every environment the project creates starts from. */
public final class JobEnvironment {

    private JobEnvironment() {}

    /** How long a record may wait in a partly filled network buffer (after the key shuffle) before it is sent. */
    public static final java.time.Duration BUFFER_TIMEOUT = java.time.Duration.ofMillis(5);

    public static Configuration baseConfiguration() {
        Configuration conf = new Configuration();
        // Kryo is never used: every type has explicit type information, and this makes a slip fail fast.
        conf.setString("pipeline.generic-types", "false");
        // No operator keeps or changes a record after emitting it, so chained operators may share records
        // instead of deep-copying each one.
        conf.setString("pipeline.object-reuse", "true");
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        // Most look-ups are of profiles with no state yet (a new member, a first event): without a Bloom
        // filter RocksDB searches every level for them, and at 10 million profiles that dominated the job.
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // LZ4 instead of Flink's default Snappy: RocksDB compresses every block it flushes and compacts, on
        // the same cores as the tasks; with LZ4 the journeys' throughput rose by about 12% (BENCHMARKS.md).
        conf.setString("state.backend.rocksdb.compression.per.level", "LZ4_COMPRESSION");
        // Flink's default of 100 ms was most of the median latency from event to action request at half load
        // (about 50 ms); 5 ms brought it to about 3 ms at the same rate (BENCHMARKS.md, latency).
        conf.setString("execution.buffer-timeout.interval", BUFFER_TIMEOUT.toMillis() + " ms");
        return conf;
    }
}
