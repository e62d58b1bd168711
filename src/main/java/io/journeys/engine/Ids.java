package io.journeys.engine;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: the same input always yields the same id, so replays and retries can be deduplicated.
 *
 * <p>A root id (an instance, an event without one) is a 128-bit MurmurHash3 of its parts, written as a
 * UUID: a stable name, not a secret. The ids of what an instance emits (requests, step events) are its id
 * followed by their own parts: unique because the instance id is, readable, and free of a hash per output.
 */
public final class Ids {

    private Ids() {}

    public static String of(Object... parts) {
        long[] hash = Murmur3.hash(key(parts));
        // the UUID of the hash's sixteen bytes read big-endian, as the ids were first made from Guava's asBytes()
        return new UUID(Long.reverseBytes(hash[0]), Long.reverseBytes(hash[1])).toString();
    }

    /**
     * The parts length-prefixed ({@code ("ab", "c")} and {@code ("a", "bc")} differ: "2:ab1:c" and "1:a2:bc"),
     * in UTF-8. ASCII parts, which ids almost always are, are written straight into the bytes; others go
     * through the JDK's encoder.
     */
    static byte[] key(Object[] parts) {
        String[] texts = new String[parts.length];
        int size = 0;
        boolean ascii = true;
        for (int i = 0; i < parts.length; i++) {
            String text = String.valueOf(parts[i]);
            texts[i] = text;
            size += digits(text.length()) + 1 + text.length();
            for (int c = 0; c < text.length() && ascii; c++) {
                ascii = text.charAt(c) < 0x80;
            }
        }
        if (!ascii) {
            StringBuilder key = new StringBuilder(size);
            for (String text : texts) {
                key.append(text.length()).append(':').append(text);
            }
            return key.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] key = new byte[size];
        int at = 0;
        for (String text : texts) {
            at = writeDecimal(text.length(), key, at);
            key[at++] = ':';
            text.getBytes(0, text.length(), key, at); // ASCII: one byte per char, as UTF-8 has it
            at += text.length();
        }
        return key;
    }

    private static int digits(int value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static int writeDecimal(int value, byte[] into, int at) {
        int end = at + digits(value);
        for (int i = end - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    /**
     * The id of something an instance emits from one visit of a step: {@code instanceId:stepId:visit}, then
     * {@code :suffix} when there is one (a step event's status). Step ids cannot contain ':' and the parts after
     * them are numbers and fixed words, so two different outputs never share an id. Typed parts, not varargs:
     * this runs for every step event and request.
     */
    static String within(String instanceId, String stepId, int visit, String suffix) {
        StringBuilder id = new StringBuilder(instanceId.length() + stepId.length() + 24)
                .append(instanceId).append(':').append(stepId).append(':').append(visit);
        if (suffix != null) {
            id.append(':').append(suffix);
        }
        return id.toString();
    }
}
