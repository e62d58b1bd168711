package io.journeys.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * When each fault of a chaos run strikes, drawn from the seed alone, so that a seed names one run: a TaskManager
 * killed about every minute (the first a little earlier in a short run), one broker killed and restarted, the
 * checkpoint storage made unwritable for a while, the definitions republished as new versions.
 */
record ChaosSchedule(List<Fault> faults) {

    enum Kind { KILL_TASK_MANAGER, KILL_BROKER, BLOCK_CHECKPOINTS, REPUBLISH }

    /** A fault at {@code at} from the start of the traffic, on {@code target} (which TaskManager or broker), held for {@code hold}. */
    record Fault(Duration at, Kind kind, int target, Duration hold) {
        @Override
        public String toString() {
            return String.format("%6.1f s  %s%s", at.toMillis() / 1000.0, kind,
                    kind == Kind.REPUBLISH ? "" : kind == Kind.BLOCK_CHECKPOINTS ? " for " + hold.toSeconds() + " s"
                            : " #" + target + (kind == Kind.KILL_BROKER ? ", down " + hold.toSeconds() + " s" : ""));
        }
    }

    static ChaosSchedule of(long seed, Duration traffic) {
        Random random = new Random(seed ^ 0x5eed_fa17L);
        List<Fault> faults = new ArrayList<>();
        long span = traffic.toMillis();
        // a kill about every minute; the first within the first third so that a short run has one
        long first = Math.min(45_000, span / 3);
        for (long at = first + random.nextInt(10_000); at < span - 10_000; at += 50_000 + random.nextInt(20_000)) {
            faults.add(new Fault(Duration.ofMillis(at), Kind.KILL_TASK_MANAGER, random.nextInt(2), Duration.ZERO));
        }
        faults.add(new Fault(Duration.ofMillis(span * 35 / 100 + random.nextInt(5_000)), Kind.KILL_BROKER,
                random.nextInt(KafkaCluster.BROKERS), Duration.ofSeconds(15 + random.nextInt(10))));
        faults.add(new Fault(Duration.ofMillis(span * 45 / 100), Kind.REPUBLISH, 0, Duration.ZERO));
        faults.add(new Fault(Duration.ofMillis(span * 60 / 100 + random.nextInt(5_000)), Kind.BLOCK_CHECKPOINTS, 0,
                Duration.ofSeconds(10 + random.nextInt(10))));
        faults.sort(Comparator.comparing(Fault::at));
        return new ChaosSchedule(List.copyOf(faults));
    }
}
