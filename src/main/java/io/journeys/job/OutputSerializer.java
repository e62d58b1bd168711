package io.journeys.job;

import io.journeys.engine.AvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes one kind of output record to Kafka: keyed by profile id (a profile's records stay in order on one
 * partition), as JSON (DESIGN §7) or Avro binary (its schema in avro-schemas/).
 */
final class OutputSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private final SerializableFunction<T, String> topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, String> json;
    private final boolean avro;
    // made on first use, then reused: a new writer looks its schema up again for every record
    private transient SpecificDatumWriter<T> writer;
    private transient BinaryEncoder encoder;

    OutputSerializer(SerializableFunction<T, String> topic, SerializableFunction<T, String> key,
            SerializableFunction<T, String> json, boolean avro) {
        this.topic = topic;
        this.key = key;
        this.json = json;
        this.avro = avro;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        String recordKey = key.apply(record);
        byte[] value = avro ? avroBytes(record) : json.apply(record).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic.apply(record), null, timestamp,
                recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8), value);
    }

    @SuppressWarnings("unchecked")
    private byte[] avroBytes(T record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            if (writer == null) {
                AvroTrust.trustOwnRecords();
                writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
            }
            writer.write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Expected to write an Avro record to memory, but could not", e);
        }
    }
}
