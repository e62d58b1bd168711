package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ProfileState;
import io.journeys.engine.AvroRecords;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated Avro coders the job's serializers use (AvroRecords) write the same bytes as Avro's schema
 * interpreter, and still resolve records written with an older schema, so state and savepoints are unchanged.
 */
class AvroCodersTest {

    @BeforeAll
    static void trustAvro() {
    }

    @Test
    void shouldWriteTheBytesAvrosInterpreterWritesForEveryRecord() throws Exception {
        for (SpecificRecordBase sample : NoKryoTest.samples()) {
            assertThat(generated(sample)).as(sample.getClass().getSimpleName()).isEqualTo(interpreted(sample));
            SpecificData model = SpecificData.getForClass(sample.getClass());
            assertThat(model.useCustomCoders() && !model.isFastReaderEnabled()).as(sample.getClass().getSimpleName())
                    .isTrue();
        }
    }

    @Test
    void shouldReadAProfileRecordWrittenBeforeAFieldWasAdded() throws Exception {
        AvroRecords.useGeneratedCoders(ProfileState.class);
        Schema before = SchemaBuilder.record("ProfileState").namespace("io.journeys.avro").fields()
                .requiredString("attributes")
                .name("memberships").type().array().items().stringType().noDefault()
                .endRecord();
        GenericRecord old = new GenericData.Record(before);
        old.put("attributes", "{\"tier\":\"gold\"}");
        old.put("memberships", List.of("vip"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(before).write(old, encoder);
        encoder.flush();

        ProfileState read = new SpecificDatumReader<ProfileState>(before, ProfileState.getClassSchema(),
                SpecificData.getForClass(ProfileState.class))
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getAttributes()).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(read.getMemberships()).containsExactly("vip");
        assertThat(read.getInstances()).isEmpty();
        assertThat(read.getSeenEvents()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> byte[] generated(T record) throws Exception {
        TypeSerializer<T> serializer = AvroRecords.typeInfo((Class<T>) record.getClass())
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        return out.getCopyOfBuffer();
    }

    /**
     * Written as Flink's Avro serializer writes (its own encoder), through a SpecificData of its own, on which
     * the generated coders are off.
     */
    private static byte[] interpreted(SpecificRecordBase record) throws Exception {
        SpecificData interpreter = new SpecificData();
        assertThat(interpreter.useCustomCoders()).isFalse();
        DataOutputSerializer out = new DataOutputSerializer(256);
        DataOutputEncoder encoder = new DataOutputEncoder();
        encoder.setOut(out);
        new SpecificDatumWriter<SpecificRecordBase>(record.getSchema(), interpreter).write(record, encoder);
        encoder.flush();
        return out.getCopyOfBuffer();
    }
}
