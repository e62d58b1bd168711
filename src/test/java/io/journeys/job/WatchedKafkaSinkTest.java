package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.api.Test;

/** The watching wrapper changes nothing a savepoint depends on, and every Kafka sink of the job has it. */
class WatchedKafkaSinkTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void shouldKeepTheOperatorIdsOfTheKafkaSinkItWraps() throws Exception {
        List<String> plain = operatorIds(sink -> sink);
        List<String> watched = operatorIds(sink -> WatchedKafkaSink.of(sink, "kafka-out", TIMEOUT));

        // the writer and the committer are the operators whose state a savepoint holds for the sink
        assertThat(watched).isEqualTo(plain);
        assertThat(String.join("\n", watched)).contains("kafka-out: Writer co-located in out",
                "kafka-out: Committer co-located in out", "Source: numbers -> kafka-out: Writer -> kafka-out: Committer: [");
    }

    @Test
    void shouldWatchEveryKafkaSinkOfTheJobUnderItsUid() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                KafkaJob.flinkConfiguration(JobConfig.defaults()));
        KafkaJob.build(env, JobConfig.defaults());

        List<SinkTransformation<?, ?>> sinks = env.getTransformations().stream()
                .filter(SinkTransformation.class::isInstance)
                .<SinkTransformation<?, ?>>map(transformation -> (SinkTransformation<?, ?>) transformation)
                .toList();
        assertThat(sinks).extracting(SinkTransformation::getUid).containsExactlyInAnyOrder("kafka-actions",
                "kafka-step-events", "kafka-dead-letters", "kafka-profile-writes", "kafka-action-results",
                "kafka-send-time-population", "kafka-experiment-winners");
        assertThat(sinks).extracting(SinkTransformation::getSink).allMatch(WatchedKafkaSink.class::isInstance);
    }

    @Test
    void shouldReadTheCheckpointOffTheConnectorsTransactionalIds() {
        assertThat(WatchedKafkaSink.checkpointOf("journeys-actions-1-42")).isEqualTo("42");
        assertThat(WatchedKafkaSink.checkpointOf("journeys-actions-1-x")).isEqualTo("unknown");
        assertThat(WatchedKafkaSink.checkpointOf("plain")).isEqualTo("unknown");
        assertThat(WatchedKafkaSink.checkpointOf("trailing-")).isEqualTo("unknown");
    }

    private static List<String> operatorIds(Function<KafkaSink<String>, Sink<String>> wrap) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        env.fromSource(new DataGeneratorSource<>(index -> "r" + index, 10, Types.STRING),
                        WatermarkStrategy.noWatermarks(), "numbers")
                .uid("numbers")
                .sinkTo(wrap.apply(KafkaSink.<String>builder()
                        .setBootstrapServers("localhost:1")
                        .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder()
                                .setTopic("out")
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("out")
                        .build()))
                .name("kafka-out").uid("kafka-out");
        StreamGraph graph = env.getStreamGraph();
        // each operator with the co-location group the Kafka sink gives its writer and committer
        Stream<String> operators = graph.getStreamNodes().stream()
                .map(node -> node.getOperatorName() + " co-located in " + node.getCoLocationGroup());
        // each task with its operators' ids, which a savepoint's state is keyed by
        Stream<String> tasks = graph.getJobGraph().getVerticesSortedTopologicallyFromSources().stream()
                .map(vertex -> vertex.getName() + ": "
                        + vertex.getOperatorIDs().stream().map(OperatorIDPair::getGeneratedOperatorID).toList());
        return Stream.concat(operators.sorted(), tasks).toList();
    }

    @Test
    void shouldTakeAProducerTheBrokerNoLongerKnowsAsAKnownFailure() {
        Throwable expired = new IllegalStateException("Failed to commit",
                new org.apache.kafka.common.errors.InvalidPidMappingException("not assigned"));
        assertThat(WatchedKafkaSink.producerUnknownToTheBroker(expired)).isTrue();
        assertThat(WatchedKafkaSink.producerUnknownToTheBroker(new IllegalStateException("Failed to commit",
                new org.apache.kafka.common.errors.TimeoutException("slow")))).isFalse();
    }
}
