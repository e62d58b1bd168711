package io.journeys.bench;

import io.journeys.job.JobEnvironment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The Flink configuration every benchmark job starts from: the job's own, plus settings given on the
 * command line ({@code ./journeys bench --flink KEY=VALUE}), so that a setting can be measured against the
 * same floor (for example Flink's changelog state backend). The benchmarks run one at a time in one JVM.
 */
public final class BenchmarkConfiguration {

    private static final Map<String, String> OVERRIDES = new LinkedHashMap<>();

    private BenchmarkConfiguration() {}

    /** Applies {@code settings} to every benchmark job started afterwards in this JVM. */
    public static synchronized void override(Map<String, String> settings) {
        OVERRIDES.clear();
        OVERRIDES.putAll(settings);
    }

    /**
     * A benchmark job's configuration: the job's own, a checkpoint every 10 s into {@code checkpoints}, no
     * restarts (a failure fails the run), and 2 GB of managed memory, then the command line's settings.
     */
    static synchronized Configuration local(Path checkpoints) {
        Configuration conf = JobEnvironment.baseConfiguration();
        conf.setString("execution.checkpointing.interval", "10 s");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        // RocksDB's block cache and write buffers come from managed memory; the local cluster's default
        // (128 MB) cannot hold the index and filter blocks of 10 million profiles, and every look-up then
        // reads them again. A TaskManager of a real cluster has gigabytes: so does this one.
        conf.setString("taskmanager.memory.managed.size", "2g");
        OVERRIDES.forEach(conf::setString);
        return conf;
    }

    /**
     * Turns on Flink's changelog state backend over RocksDB, logging state changes into {@code dir}: what README
     * "Operations" tells operators to set in their cluster's configuration. The storage settings must be the
     * TaskManagers' own (Flink reads them from the TaskManager's configuration, not the job's), so the job
     * cannot turn it on by itself; a local benchmark cluster is made from this very configuration.
     */
    static Configuration withChangelog(Configuration conf, String dir) {
        conf.setString("state.changelog.enabled", "true");
        conf.setString("state.changelog.storage", "filesystem");
        conf.setString("state.changelog.dstl.dfs.base-path", dir);
        return conf;
    }
}
