package io.journeys.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.Journey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes journey documents to the compacted definitions topic (key = journey id), where the running job
 * picks them up. Closing or stopping a journey republishes its latest document with the new status.
 */
public final class DefinitionPublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final String topic;

    public DefinitionPublisher(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** Publishes validated journeys (the caller validated them). */
    public void publish(List<Journey> journeys) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (Journey journey : journeys) {
                producer.send(new ProducerRecord<>(topic, journey.id(), journey.source())).get();
            }
        }
    }

    /** Publishes validated action definitions, keyed "action:ID" beside the journeys. */
    public void publishActions(List<io.journeys.dsl.ActionDefinition> actions) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (io.journeys.dsl.ActionDefinition action : actions) {
                producer.send(new ProducerRecord<>(topic, "action:" + action.id(), action.document())).get();
            }
        }
    }

    /** Publishes validated rule sets, keyed "rules:ID" beside the journeys; publish them before the journeys naming them. */
    public void publishRules(List<io.journeys.dsl.RuleSet> ruleSets) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (io.journeys.dsl.RuleSet rules : ruleSets) {
                producer.send(new ProducerRecord<>(topic, "rules:" + rules.id(), rules.source())).get();
            }
        }
    }

    /**
     * Republishes the latest document of a journey with another status; false when the topic holds no
     * journey of that id.
     */
    public boolean changeStatus(String journeyId, String status) throws Exception {
        String latest = latestDocuments().get(journeyId);
        if (latest == null) {
            return false;
        }
        ObjectNode document = (ObjectNode) JSON.readTree(latest);
        document.put("status", status);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, journeyId, document.toString())).get();
        }
        return true;
    }

    /** The latest document of every journey on the topic, by id (reads it from its beginning to its end). */
    public Map<String, String> latestDocuments() throws IOException {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "journeys-cli-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() == null) {
                        continue;
                    }
                    String id = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(id);
                    } else {
                        latest.put(id, new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return latest;
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }
}
