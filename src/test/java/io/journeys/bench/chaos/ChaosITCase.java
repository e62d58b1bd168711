package io.journeys.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.bench.cluster.FlinkSessionCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./journeys chaos} in little: the same run (3 brokers, 2 TaskManagers, the cluster jar, the failing HTTP
 * service, the seeded faults: a TaskManager and a broker killed, the checkpoint storage blocked, the definitions
 * republished) over a small population for a minute, and the oracle's verdict. The negative controls
 * are in ChaosOracleTest (the same oracle on output a replay or a non-deduplicating service would leave) and in
 * RELIABILITY.md (the real runs with at-least-once delivery and without HTTP deduplication).
 */
class ChaosITCase {

    // the job may still write a checkpoint while the clusters go down: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldHoldEveryInvariantUnderFaults() throws Exception {
        StringWriter report = new StringWriter();
        ChaosRun.Settings settings = new ChaosRun.Settings(Duration.ofSeconds(60), 20, 150, "exactly-once", true,
                Duration.ofSeconds(20), home, Path.of("target/journeys-0.1.0-SNAPSHOT-job.jar").toAbsolutePath(),
                FlinkSessionCluster.DISTRIBUTION_CLASSPATH.toAbsolutePath());

        // the run's lines in the build's log as they come, and kept for the assertions
        boolean held = new ChaosRun(settings, new PrintWriter(new Tee(report), true)).run();

        assertThat(report.toString()).contains("KILL_TASK_MANAGER", "KILL_BROKER", "BLOCK_CHECKPOINTS", "REPUBLISH",
                "every request id at most once");
        assertThat(held).as("the oracle's verdict:\n%s", report).isTrue();
    }

    /** Writes to the report and to standard output. */
    private static final class Tee extends java.io.Writer {
        private final StringWriter report;

        Tee(StringWriter report) {
            this.report = report;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            report.write(chars, offset, length);
            System.out.print(new String(chars, offset, length));
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
