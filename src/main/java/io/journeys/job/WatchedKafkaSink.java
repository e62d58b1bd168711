package io.journeys.job;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSink} whose failed commits are not silent: each transaction that its committer gives up
 * on is logged at ERROR, with its transactional id and checkpoint, and counted in the committer's
 * {@code kafka.failedCommits} metric (README, "Metrics").
 *
 * <p>Flink commits a sink's transaction once the checkpoint that covers it completes. If the broker has
 * aborted it by then (it stayed open longer than {@code transaction.timeout.ms}), the connector's
 * {@code KafkaCommitter} catches the {@code ProducerFencedException}, {@code InvalidTxnStateException}
 * or {@code UnknownProducerIdException}, signals the request "failed with a known reason" and the job
 * goes on without those records (any other exception: "unknown reason", and the job fails; this sink
 * takes an {@code InvalidPidMappingException} as known too, see {@code signalFailedWithUnknownReason}). It logs
 * the request at ERROR, but a fenced producer only at WARN when transactional ids are pooled, and Flink's
 * {@code failedCommittables} counts these failures under a name every kind of sink shares.
 * This sink hands the committer requests that log and count such a signal before passing it on.
 * Everything else is the Kafka sink's own: writer, state, serializers and post-commit topology, so the
 * operators and their uids (the {@code uid} of {@code sinkTo}) and the state of a savepoint stay as
 * they were.
 *
 * <pre>{@code
 * stream.sinkTo(WatchedKafkaSink.of(KafkaSink.<T>builder()...build(), "actions", Duration.ofMinutes(10)))
 *         .name("kafka-actions").uid("kafka-actions");
 * }</pre>
 */
final class WatchedKafkaSink<IN> implements Sink<IN>, SupportsWriterState<IN, KafkaWriterState>,
        SupportsCommitter<KafkaCommittable>, SupportsPostCommitTopology<KafkaCommittable>, LineageVertexProvider {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(WatchedKafkaSink.class);

    /** The committer's metric group and counter: {@code <operator scope>.kafka.failedCommits}. */
    static final String METRIC_GROUP = "kafka";

    static final String FAILED_COMMITS = "failedCommits";

    private final KafkaSink<IN> sink;
    private final String name;
    private final Duration transactionTimeout;

    private WatchedKafkaSink(KafkaSink<IN> sink, String name, Duration transactionTimeout) {
        this.sink = sink;
        this.name = name;
        this.transactionTimeout = transactionTimeout;
    }

    /**
     * Watches the commits of {@code sink}; {@code name} and {@code transactionTimeout} (its producers'
     * {@code transaction.timeout.ms}) only go into the log line of a failed commit.
     */
    static <IN> WatchedKafkaSink<IN> of(KafkaSink<IN> sink, String name, Duration transactionTimeout) {
        if (sink == null || name == null || name.isBlank() || transactionTimeout == null) {
            throw new IllegalArgumentException("Expected a sink, a name and a transaction timeout, but got "
                    + sink + ", " + name + ", " + transactionTimeout);
        }
        return new WatchedKafkaSink<>(sink, name, transactionTimeout);
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return sink.createWriter(context);
    }

    @Override
    public StatefulSinkWriter<IN, KafkaWriterState> restoreWriter(WriterInitContext context,
            Collection<KafkaWriterState> recoveredState) throws IOException {
        return sink.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return sink.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) throws IOException {
        Counter failedCommits = context.metricGroup().addGroup(METRIC_GROUP).counter(FAILED_COMMITS);
        return new WatchedCommitter(sink.createCommitter(context), failedCommits, name, transactionTimeout);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return sink.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        // the Kafka sink co-locates its writer and committer here: they share a channel for finished transactions
        sink.addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return sink.getLineageVertex();
    }

    /** The Kafka committer, given requests that log and count a failure before reporting it. */
    private static final class WatchedCommitter implements Committer<KafkaCommittable> {

        private final Committer<KafkaCommittable> committer;
        private final Counter failedCommits;
        private final String name;
        private final Duration transactionTimeout;

        WatchedCommitter(Committer<KafkaCommittable> committer, Counter failedCommits, String name,
                Duration transactionTimeout) {
            this.committer = committer;
            this.failedCommits = failedCommits;
            this.name = name;
            this.transactionTimeout = transactionTimeout;
        }

        @Override
        public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
                throws IOException, InterruptedException {
            List<CommitRequest<KafkaCommittable>> watched = new ArrayList<>(requests.size());
            for (CommitRequest<KafkaCommittable> request : requests) {
                watched.add(new WatchedRequest(request));
            }
            committer.commit(watched);
        }

        @Override
        public void close() throws Exception {
            committer.close();
        }

        private void failed(KafkaCommittable committable, Throwable cause, boolean jobFails) {
            failedCommits.inc();
            LOG.error("Kafka transaction {} of sink {} (checkpoint {}, producer id {}, epoch {}) was not committed{}. "
                            + "The most likely cause: the broker aborted it because it stayed open longer than "
                            + "the producers' transaction timeout ({}, kafka.transactionTimeout), e.g. while the job "
                            + "recovered (README, \"Transactions\"). Cause: {}",
                    committable.getTransactionalId(), name, checkpointOf(committable.getTransactionalId()),
                    committable.getProducerId(), committable.getEpoch(),
                    jobFails ? "; the job fails and tries again after its restart"
                            : " and will not be: its records are lost for read-committed consumers",
                    transactionTimeout, cause.toString(), cause);
        }

        /** A request that reports its failure to this committer first. */
        private final class WatchedRequest implements CommitRequest<KafkaCommittable> {

            private final CommitRequest<KafkaCommittable> request;

            WatchedRequest(CommitRequest<KafkaCommittable> request) {
                this.request = request;
            }

            @Override
            public KafkaCommittable getCommittable() {
                return request.getCommittable();
            }

            @Override
            public int getNumberOfRetries() {
                return request.getNumberOfRetries();
            }

            @Override
            public void signalFailedWithKnownReason(Throwable t) {
                failed(request.getCommittable(), t, false);
                request.signalFailedWithKnownReason(t);
            }

            @Override
            public void signalFailedWithUnknownReason(Throwable t) {
                if (producerUnknownToTheBroker(t)) {
                    // The broker no longer maps this transaction's producer: its transactional id expired
                    // (transactional.id.expiration.ms, 7 days by default, after the transaction ended), as after a
                    // restore from an older savepoint, or the brokers are not those that began it. The commit can
                    // never succeed: failing the job would only restart it forever.
                    signalFailedWithKnownReason(t);
                    return;
                }
                failed(request.getCommittable(), t, true);
                request.signalFailedWithUnknownReason(t);
            }

            @Override
            public void retryLater() {
                request.retryLater();
            }

            @Override
            public void updateAndRetryLater(KafkaCommittable committable) {
                request.updateAndRetryLater(committable);
            }

            @Override
            public void signalAlreadyCommitted() {
                request.signalAlreadyCommitted();
            }
        }
    }

    static boolean producerUnknownToTheBroker(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPidMappingException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The checkpoint of a transaction, the last part of its id ({@code prefix-subtask-checkpoint}, the
     * connector's default naming), or "unknown" for another shape.
     */
    static String checkpointOf(String transactionalId) {
        int dash = transactionalId == null ? -1 : transactionalId.lastIndexOf('-');
        String last = dash < 0 ? "" : transactionalId.substring(dash + 1);
        return !last.isEmpty() && last.chars().allMatch(Character::isDigit) ? last : "unknown";
    }
}
