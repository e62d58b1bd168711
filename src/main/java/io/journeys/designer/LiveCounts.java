package io.journeys.designer;

import io.journeys.dsl.Journey;
import io.journeys.report.PublishedJourneys;
import io.journeys.report.Report;
import io.journeys.report.ReportBuilder;
import io.journeys.report.StepEventsTopic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;

/**
 * The report of the step-events topic, kept up to date in the background as {@code ./journeys report --follow}
 * keeps it: read committed from the beginning into a {@link ReportBuilder} over the published documents, then
 * followed. Readers get the latest snapshot, or wait for one newer than theirs (the page's long poll). When the
 * topic cannot be read (no broker yet, no topic yet) it says why and tries again from the beginning.
 */
final class LiveCounts implements AutoCloseable {

    /** The report after {@code events} distinct step events. */
    record Snapshot(long events, Report report) {}

    static final Duration RETRY = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private final String stepTopic;
    private final String definitionsTopic;
    private final int maxSteps;
    private final Duration every;
    private final Consumer<String> log;
    private final Thread reader;
    private final CountDownLatch closed = new CountDownLatch(1);

    // guarded by this
    private Snapshot latest;
    private String trouble = "still reading the step events from the beginning";
    private StepEventsTopic topic;
    private ReportBuilder builder;

    LiveCounts(String bootstrapServers, String stepTopic, String definitionsTopic, int maxSteps, Duration every,
            Consumer<String> log) {
        this.bootstrapServers = bootstrapServers;
        this.stepTopic = stepTopic;
        this.definitionsTopic = definitionsTopic;
        this.maxSteps = maxSteps;
        this.every = every;
        this.log = log;
        this.reader = new Thread(this::readUntilClosed, "designer-live-counts");
        reader.setDaemon(true); // a broker that does not answer must not keep the JVM alive
    }

    LiveCounts start() {
        reader.start();
        return this;
    }

    /** The latest snapshot, or null before the first catch-up. */
    synchronized Snapshot latest() {
        return latest;
    }

    /** Why there is no snapshot yet, or why the last read failed. */
    synchronized String trouble() {
        return trouble;
    }

    /**
     * A snapshot of more than {@code events} events, waiting up to {@code timeout} for one; else the latest
     * (null when there is none yet).
     */
    synchronized Snapshot newerThan(long events, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((latest == null || latest.events() <= events) && closed.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return latest;
    }

    /** A document published meanwhile: reports from then on draw its graph. */
    synchronized void published(Journey journey) {
        if (builder != null) {
            builder.addDocument(journey);
        }
    }

    private void readUntilClosed() {
        while (closed.getCount() > 0) {
            try {
                readOnce();
            } catch (RuntimeException e) { // KafkaException, IllegalStateException (no topic, stalled catch-up)
                String now = "cannot read " + stepTopic + " at " + bootstrapServers + ": " + Failures.describe(e)
                        + "; trying again every " + RETRY.toSeconds() + " s";
                String before;
                synchronized (this) {
                    before = trouble;
                    trouble = now;
                }
                if (!now.equals(before)) { // once, not every few seconds while the topic is missing
                    log.accept("designer: " + now);
                }
            }
            try {
                closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void readOnce() {
        ReportBuilder fresh = new ReportBuilder(published());
        try (StepEventsTopic events = new StepEventsTopic(bootstrapServers, stepTopic, log)) {
            synchronized (this) {
                if (closed.getCount() == 0) {
                    return;
                }
                topic = events;
                builder = fresh;
            }
            events.catchUp(fresh);
            publish(fresh.build(), fresh.events());
            events.follow(fresh, every, report -> publish(report, fresh.events()));
        } finally {
            synchronized (this) {
                topic = null;
            }
        }
    }

    /** The published documents; without them the report shows the steps the events name. */
    private List<Journey> published() {
        try {
            return PublishedJourneys.read(bootstrapServers, definitionsTopic, maxSteps);
        } catch (IllegalStateException | KafkaException e) {
            log.accept("designer: no journey documents from " + definitionsTopic + " (" + Failures.describe(e)
                    + "); live counts show the steps the events name");
            return List.of();
        }
    }

    private synchronized void publish(Report report, long events) {
        latest = new Snapshot(events, report);
        trouble = null;
        notifyAll();
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed.countDown();
            if (topic != null) {
                topic.stop();
            }
            notifyAll(); // long polls answer now
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
