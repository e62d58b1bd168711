package io.journeys.report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Feeds a {@link ReportBuilder} from the step-events topic (JSON values), read committed from the beginning:
 * {@link #catchUp} up to the end offsets taken when it is called (for a read-committed consumer, the last stable
 * offsets: an open transaction's events are left for later, an aborted one's never come), and {@link #follow}
 * on from there until {@link #stop}.
 *
 * <p>Reading from the beginning is the design (no compacted snapshot of the counts): the topic's retention
 * must cover the longest journey, plus the longest goal window, for {@code inside} and {@code waiting} to be
 * right (README, Reports).
 */
public final class StepEventsTopic implements AutoCloseable {

    /** A catch-up that reads nothing for this long has lost its brokers. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Consumer<String> warnings;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** @param warnings told about each record that is not a step event (it is left out) */
    public StepEventsTopic(String bootstrapServers, String topic, Consumer<String> warnings) {
        this.topic = topic;
        this.warnings = warnings;
        this.consumer = KafkaReading.consumer(bootstrapServers);
        try {
            this.partitions = KafkaReading.assignFromBeginning(consumer, topic);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Reads every committed event up to the end offsets of now into {@code builder}; returns the records read. */
    public long catchUp(ReportBuilder builder) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long read = 0;
        long lastProgress = System.nanoTime();
        while (!stopped.get() && !reached(end)) {
            int records = poll(builder);
            read += records;
            if (records > 0) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException("Expected to read " + topic + " up to offsets " + end + ", but got "
                        + "nothing for " + STALL_TIMEOUT.toSeconds() + " s at " + positions());
            }
        }
        return read;
    }

    /**
     * Goes on reading until {@link #stop}: after new events, at most once per {@code every}, hands the report
     * built so far to {@code onChange} (and once more at the end if events came since).
     */
    public void follow(ReportBuilder builder, Duration every, Consumer<Report> onChange) {
        boolean changed = false;
        long nextReport = System.nanoTime() + every.toNanos();
        try {
            while (!stopped.get()) {
                long wait = Math.max(1, Math.min(POLL.toMillis(), (nextReport - System.nanoTime()) / 1_000_000));
                changed |= poll(builder, Duration.ofMillis(wait)) > 0;
                if (System.nanoTime() >= nextReport) {
                    if (changed) {
                        onChange.accept(builder.build());
                        changed = false;
                    }
                    nextReport = System.nanoTime() + every.toNanos();
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll up
        }
        if (changed) {
            onChange.accept(builder.build());
        }
    }

    /** Ends {@link #follow} (or {@link #catchUp}) soon, from any thread. */
    public void stop() {
        stopped.set(true);
        consumer.wakeup();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    private int poll(ReportBuilder builder) {
        try {
            return poll(builder, POLL);
        } catch (WakeupException e) {
            return 0; // stopped
        }
    }

    private int poll(ReportBuilder builder, Duration timeout) {
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            count++;
            if (record.value() == null) {
                continue;
            }
            try {
                builder.addLine(new String(record.value(), StandardCharsets.UTF_8));
            } catch (StepEventLine.Malformed e) {
                warnings.accept(topic + " partition " + record.partition() + " offset " + record.offset() + ": "
                        + e.getMessage() + "; left out");
            }
        }
        return count;
    }

    private String positions() {
        return partitions.stream().map(p -> p.partition() + "@" + consumer.position(p)).toList().toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
