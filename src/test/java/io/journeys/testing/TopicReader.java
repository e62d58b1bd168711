package io.journeys.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads committed records from topics until a condition holds or a deadline passes (polling blocks; no sleeps). */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> values = new ArrayList<>();
    private final List<byte[]> rawValues = new ArrayList<>();

    public TopicReader(String bootstrapServers, List<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
    }

    /** Every value read so far once {@code done} holds for them, or when {@code timeout} has passed. */
    public List<String> readUntil(Predicate<List<String>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(values) && Instant.now().isBefore(deadline)) {
            poll();
        }
        return List.copyOf(values);
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
            rawValues.add(record.value());
        }
    }

    /**
     * Every value committed so far: reads until this reader is at the end (for read-committed readers, the last
     * stable offset) that each of its partitions had when called, or fails after {@code timeout}.
     */
    public List<String> readToEnd(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<TopicPartition, Long> ends = Map.of();
        while (Instant.now().isBefore(deadline)) {
            if (ends.isEmpty() || !consumer.assignment().equals(ends.keySet())) {
                ends = consumer.assignment().isEmpty() ? Map.of() : consumer.endOffsets(consumer.assignment());
            }
            if (!ends.isEmpty() && ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                return List.copyOf(values);
            }
            poll();
        }
        throw new IllegalStateException("Expected to reach the end of " + ends + " within " + timeout
                + ", but did not");
    }

    /** The values read so far, as bytes (for binary formats). */
    public List<byte[]> rawValues() {
        return List.copyOf(rawValues);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
