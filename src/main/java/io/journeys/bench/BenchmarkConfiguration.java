package io.journeys.bench;

import io.journeys.job.JobEnvironment;
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

    static synchronized Configuration base() {
        Configuration conf = JobEnvironment.baseConfiguration();
        OVERRIDES.forEach(conf::setString);
        return conf;
    }
}
