package io.journeys.report;

import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The journey documents on the definitions topic, every version still there: the topic is compacted by
 * journey id, so a version superseded long ago may have been compacted away (its report then shows the
 * steps its events name). Of two records of one id and version (a close or stop republishes the document),
 * the later wins; action definitions and documents that do not parse are left out.
 */
public final class PublishedJourneys {

    private PublishedJourneys() {}

    /** @param maxSteps the job's {@code guardRails.maxStepsPerJourney}, so that every journey it runs parses */
    public static List<Journey> read(String bootstrapServers, String topic, int maxSteps) {
        Map<JourneyKey, Journey> journeys = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaReading.consumer(bootstrapServers)) {
            List<TopicPartition> partitions = KafkaReading.assignFromBeginning(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + StepEventsTopic.STALL_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Expected to read " + topic + " to its end within "
                            + StepEventsTopic.STALL_TIMEOUT.toSeconds() + " s, but did not");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        add(journeys, new String(record.value(), StandardCharsets.UTF_8), maxSteps);
                    }
                }
            }
        }
        return new ArrayList<>(journeys.values());
    }

    private static void add(Map<JourneyKey, Journey> journeys, String document, int maxSteps) {
        DefinitionParser.Definition definition = DefinitionParser.parse(document, maxSteps);
        if (definition.valid() && definition.isJourney()) {
            Journey journey = definition.journey().journey();
            journeys.put(new JourneyKey(journey.id(), journey.version()), journey);
        }
    }
}
