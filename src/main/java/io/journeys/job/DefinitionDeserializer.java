package io.journeys.job;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Journey documents from the compacted definitions topic; a tombstone (null value) carries nothing to load. */
final class DefinitionDeserializer implements KafkaRecordDeserializationSchema<String> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        if (record.value() != null) {
            out.collect(new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
