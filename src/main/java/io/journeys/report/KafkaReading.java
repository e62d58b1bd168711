package io.journeys.report;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the report's two topic readers share: a read-committed consumer of every partition, from the beginning. */
final class KafkaReading {

    /** How long the brokers may take to say which partitions a topic has. */
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private KafkaReading() {}

    /**
     * A consumer with no group (it commits nothing, so reports never move anyone's offsets), reading only
     * committed records: the job's transactional sinks write step events that an abort takes back.
     */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "journeys-report");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns every partition of {@code topic} and seeks to their beginnings; fails when there is no such topic. */
    static List<TopicPartition> assignFromBeginning(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Expected a topic " + topic + ", but the brokers know none");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
