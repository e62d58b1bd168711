package io.journeys.job;

import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps each Kafka record, as received, into a raw record; parsing (and rejecting) happens downstream so
 * that a malformed record becomes a dead letter instead of failing the source.
 */
final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

    /** What a topic carries and in which format. */
    record TopicInput(InputSource source, InputFormat format) implements java.io.Serializable {}

    private final Map<String, TopicInput> inputsByTopic;

    RawRecordDeserializer(Map<String, TopicInput> inputsByTopic) {
        this.inputsByTopic = Map.copyOf(inputsByTopic);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        TopicInput input = inputsByTopic.get(record.topic());
        byte[] value = record.value() == null ? new byte[0] : record.value();
        String origin = record.topic() + "/" + record.partition();
        if (input.format() == InputFormat.AVRO) {
            out.collect(new RawRecord(input.source(), record.offset(), "", InputFormat.AVRO, ByteBuffer.wrap(value),
                    origin, null));
        } else {
            out.collect(new RawRecord(input.source(), record.offset(), new String(value, StandardCharsets.UTF_8),
                    InputFormat.JSON, null, origin, null));
        }
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return AvroRecords.typeInfo(RawRecord.class);
    }
}
