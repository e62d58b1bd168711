package io.journeys.engine;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.util.UUID;

/**
 * Deterministic ids: the same input always yields the same id, so replays and retries can be deduplicated.
 * An id is a 128-bit MurmurHash3 of the parts, written as a UUID: not a secret, only a stable name, and
 * several times cheaper than a cryptographic digest (the engine makes several per input).
 */
public final class Ids {

    private static final HashFunction HASH = Hashing.murmur3_128();

    private Ids() {}

    public static String of(Object... parts) {
        Hasher hasher = HASH.newHasher();
        for (Object part : parts) {
            if (part instanceof Long number) {
                hasher.putByte((byte) 1).putLong(number);
            } else if (part instanceof Integer number) {
                hasher.putByte((byte) 2).putInt(number);
            } else {
                // length-prefixed: ("ab", "c") and ("a", "bc") differ
                String text = String.valueOf(part);
                hasher.putByte((byte) 3).putInt(text.length()).putUnencodedChars(text);
            }
        }
        byte[] bytes = hasher.hash().asBytes();
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }
}
