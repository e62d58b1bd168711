package io.journeys.bench.chaos;

import io.journeys.bench.cluster.FlinkSessionCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Strikes the schedule's faults in order, on its own thread, and measures how long the job took to recover
 * from each: from the fault (for the checkpoint storage, from its repair) to the job RUNNING with every task
 * again, and to committed output progressing again (what a consumer notices).
 */
final class ChaosFaults {

    /** One fault struck, and what it cost. Null durations: the job did not need to recover (or never did). */
    record Struck(ChaosSchedule.Fault fault, Instant at, int jobFailuresBefore, int jobFailuresAfter,
            Duration toRunning, Duration toProgress) {}

    private final FlinkSessionCluster flink;
    private final KafkaCluster kafka;
    private final OutputCollector output;
    private final CheckpointStorage checkpoints;
    private final Republisher republisher;
    private final PrintWriter log;
    private final List<Struck> struck = new ArrayList<>();
    /** The probes answered: profiles whose ping of the warm-up journey got its pong, committed. */
    private final java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.function.Consumer<String> ping;
    private int probes;
    private volatile String jobId;

    @FunctionalInterface
    interface Republisher {
        void republish() throws Exception;
    }

    /**
     * {@code ping} sends a ping of the warm-up journey from the profile it is given: its pong, committed, is what
     * shows output progressing again, whether or not the traffic is still running.
     */
    ChaosFaults(FlinkSessionCluster flink, KafkaCluster kafka, OutputCollector output, CheckpointStorage checkpoints,
            Republisher republisher, java.util.function.Consumer<String> ping, PrintWriter log) {
        this.ping = ping;
        output.onRecord((topic, record) -> {
            if (record.has("template") && record.get("template").asText().equals("chaos-pong")) {
                answered.add(record.get("profileId").asText());
            }
        });
        this.flink = flink;
        this.kafka = kafka;
        this.output = output;
        this.checkpoints = checkpoints;
        this.republisher = republisher;
        this.log = log;
    }

    /** Strikes every fault at its time from {@code start} (later if the one before is still recovering). */
    List<Struck> run(ChaosSchedule schedule, String jobId, Instant start) throws Exception {
        this.jobId = jobId;
        for (ChaosSchedule.Fault fault : schedule.faults()) {
            Duration wait = Duration.between(Instant.now(), start.plus(fault.at()));
            if (!wait.isNegative()) {
                TimeUnit.MILLISECONDS.sleep(wait.toMillis());
            }
            Struck result = strike(fault);
            struck.add(result);
            log.printf("fault %-45s job failures %d -> %d, RUNNING again after %s, output again after %s%n", fault,
                    result.jobFailuresBefore(), result.jobFailuresAfter(), seconds(result.toRunning()),
                    seconds(result.toProgress()));
            log.flush();
        }
        return List.copyOf(struck);
    }

    private Struck strike(ChaosSchedule.Fault fault) throws Exception {
        int before = flink.failuresOf(jobId);
        Instant at = Instant.now();
        switch (fault.kind()) {
            case KILL_TASK_MANAGER -> {
                flink.killTaskManager(fault.target() % flink.liveTaskManagers());
                // a replacement, as a cluster manager would start one: the job needs both slots
                flink.startTaskManager();
                return recovered(fault, at, at, before);
            }
            case KILL_BROKER -> {
                // two brokers of three keep every partition writable (min in-sync 2): the job should not even
                // notice; measured is how soon committed output moved after the kill
                kafka.kill(fault.target());
                Instant progress = probe(fault.hold());
                Duration left = Duration.between(Instant.now(), at.plus(fault.hold()));
                if (!left.isNegative()) {
                    TimeUnit.MILLISECONDS.sleep(left.toMillis());
                }
                kafka.restart(fault.target());
                if (progress == null) {
                    return recovered(fault, at, at, before);
                }
                int after = flink.failuresOf(jobId);
                Instant running = awaitInstant(() -> flink.allTasksRunning(jobId), Duration.ofMinutes(5));
                return new Struck(fault, at, before, after, after == before ? Duration.ZERO
                        : running == null ? null : Duration.between(at, running), Duration.between(at, progress));
            }
            case BLOCK_CHECKPOINTS -> {
                checkpoints.block();
                TimeUnit.MILLISECONDS.sleep(fault.hold().toMillis());
                checkpoints.unblock();
                return recovered(fault, at, Instant.now(), before);
            }
            case REPUBLISH -> {
                republisher.republish();
                return new Struck(fault, at, before, flink.failuresOf(jobId), null, null);
            }
            default -> throw new IllegalStateException("Unexpected fault " + fault);
        }
    }

    /**
     * Waits until the job runs every task again and committed output arrives after that; durations from
     * {@code from}. When the job never failed, the time to output is measured from the fault all the same.
     */
    private Struck recovered(ChaosSchedule.Fault fault, Instant at, Instant from, int before) throws Exception {
        Instant running = awaitInstant(() -> flink.allTasksRunning(jobId), Duration.ofMinutes(5));
        Instant progress = running == null ? null : probe(Duration.ofMinutes(3));
        int after = flink.failuresOf(jobId);
        return new Struck(fault, at, before, after, running == null ? null : Duration.between(from, running),
                progress == null ? null : Duration.between(from, progress));
    }

    /** Pings from a new probe profile and waits for its committed pong; the instant it came, or null. */
    private Instant probe(Duration timeout) throws Exception {
        String probe = "probe-" + probes++;
        ping.accept(probe);
        return awaitInstant(() -> answered.contains(probe), timeout);
    }

    /** Polls a condition (the REST API, the collector's clock) until it holds; null when it did not in time. */
    private static Instant awaitInstant(Check check, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            boolean holds;
            try {
                holds = check.holds();
            } catch (java.io.IOException e) {
                holds = false; // the REST endpoint is busy restarting the job: ask again
            }
            if (holds) {
                return Instant.now();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return null;
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static String seconds(Duration duration) {
        return duration == null ? "-" : String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    /**
     * The job's checkpoint storage as a symbolic link to the real folder: blocking it points the link at a plain
     * file, so that every write (and read) under it fails as on a full or read-only volume; unblocking points it
     * back. (A chmod would not stop a process running as root.) Each swap is one atomic rename.
     */
    static final class CheckpointStorage {
        private final Path link;
        private final Path folder;
        private final Path blocked;

        CheckpointStorage(Path home) throws java.io.IOException {
            this.link = home.resolve("checkpoints");
            this.folder = Files.createDirectories(home.resolve("checkpoints-store"));
            this.blocked = home.resolve("checkpoints-blocked");
            Files.writeString(blocked, "the chaos run made the checkpoint storage unwritable\n");
            Files.createSymbolicLink(link, folder);
        }

        /** The URI to give the job as checkpoints.dir. */
        String uri() {
            return link.toUri().toString();
        }

        void block() throws java.io.IOException {
            point(blocked);
        }

        void unblock() throws java.io.IOException {
            point(folder);
        }

        private void point(Path target) throws java.io.IOException {
            Path next = link.resolveSibling("checkpoints.next");
            Files.deleteIfExists(next);
            Files.createSymbolicLink(next, target);
            Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
