package io.journeys.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's outputs as a downstream consumer would (read committed, from the beginning) for the whole run,
 * on its own thread: what the oracle checks, what the generator reacts to (a click on a welcome email), and when
 * output last progressed (the recovery time after a kill ends when committed output moves again).
 */
final class OutputCollector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<JsonNode>> byTopic = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Instant lastRecordAt = Instant.EPOCH;
    private volatile long records;
    private volatile RuntimeException failure;

    OutputCollector(String bootstrapServers, List<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-oracle-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            byTopic.put(topic, new CopyOnWriteArrayList<>());
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "chaos-output-collector");
        thread.setDaemon(true);
    }

    void onRecord(BiConsumer<String, JsonNode> listener) {
        listeners.add(listener);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                pollOnce();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private synchronized void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            JsonNode value;
            try {
                value = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("Expected JSON on " + record.topic() + ", but read: "
                        + new String(record.value(), StandardCharsets.UTF_8), e);
            }
            byTopic.get(record.topic()).add(value);
            records++;
            lastRecordAt = Instant.now();
            for (BiConsumer<String, JsonNode> listener : listeners) {
                listener.accept(record.topic(), value);
            }
        }
    }

    /** When the last committed output record was read (EPOCH before any). */
    Instant lastRecordAt() {
        return lastRecordAt;
    }

    long records() {
        return records;
    }

    List<JsonNode> records(String topic) {
        return List.copyOf(byTopic.get(topic));
    }

    List<JsonNode> records(List<String> topics) {
        List<JsonNode> all = new ArrayList<>();
        topics.forEach(topic -> all.addAll(byTopic.get(topic)));
        return all;
    }

    /** Stops the thread and reads on until the end (the last stable offset) each partition has now. */
    void readToEnd(Duration timeout) throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure != null) {
            throw failure;
        }
        Instant deadline = Instant.now().plus(timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        while (Instant.now().isBefore(deadline)) {
            if (ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                return;
            }
            pollOnce();
        }
        throw new IllegalStateException("Expected to read the outputs to their end " + ends + " within " + timeout);
    }

    void checkHealthy() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
