package io.journeys.engine;

import java.io.IOException;
import java.io.ObjectInputStream;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Type information for the engine's Avro records (state, streams between operators), whose serializers
 * encode and decode with the code Avro generated for each record.
 *
 * <p>Avro generates a {@code customEncode}/{@code customDecode} pair for every record class, but uses it only
 * when the class's {@link SpecificData} says so; by default it interprets the schema instead. The generated
 * code writes the profile record 2 to 4 times faster, and reads it no slower, than Avro's interpreting
 * writer and its fast reader. The bytes are the same Avro binary either way, so state and savepoints are
 * unchanged, and a changed schema is still resolved against the one written (the generated decoder reads
 * through a resolving decoder).
 *
 * <p>The setting belongs to the class's own {@code SpecificData} (a static of the generated class), so it must
 * be made in the JVM that reads and writes the records. Serializers are made on the client too (Flink ships
 * the network serializers to the TaskManagers inside the job graph), so the serializer makes the setting both
 * when it is created and when Java deserializes it on the TaskManager. It also makes Avro trust the
 * project's records there ({@link AvroTrust}), before it reads the first one.
 */
public final class AvroRecords {

    static {
        AvroTrust.trustOwnRecords();
    }

    private AvroRecords() {}

    public static <T extends SpecificRecordBase> TypeInformation<T> typeInfo(Class<T> type) {
        return new GeneratedCodersTypeInfo<>(type);
    }

    /** Turns the generated encoder and decoder on for {@code type}. Idempotent. */
    public static void useGeneratedCoders(Class<? extends SpecificRecordBase> type) {
        SpecificData model = SpecificData.getForClass(type);
        model.setCustomCoders(true);
        // the fast reader would take precedence over the generated decoder
        model.setFastReaderEnabled(false);
    }

    /** Avro type information whose serializers use the generated coders. */
    private static final class GeneratedCodersTypeInfo<T extends SpecificRecordBase> extends AvroTypeInfo<T> {

        private static final long serialVersionUID = 1L;

        GeneratedCodersTypeInfo(Class<T> type) {
            super(type);
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return new GeneratedCodersSerializer<>(getTypeClass());
        }
    }

    /**
     * Flink's Avro serializer, with the generated coders and Avro's trust set up in whichever JVM it is made
     * or deserialized in. Its snapshot is Flink's own, so state written with it restores with Flink's plain
     * Avro serializer and the other way round.
     */
    static final class GeneratedCodersSerializer<T extends SpecificRecordBase> extends AvroSerializer<T> {

        private static final long serialVersionUID = 1L;

        GeneratedCodersSerializer(Class<T> type) {
            super(type);
            prepare(type);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            prepare(getType());
        }

        private static void prepare(Class<? extends SpecificRecordBase> type) {
            AvroTrust.trustOwnRecords();
            useGeneratedCoders(type);
        }
    }
}
