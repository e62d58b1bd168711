package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids are stored and sent: the hash of their own must name everything as the Guava one did. */
class IdsTest {

    /** The ids as first written: Guava's MurmurHash3 of the length-prefixed parts, read as a UUID. */
    private static String asGuavaMadeThem(Object... parts) {
        StringBuilder key = new StringBuilder();
        for (Object part : parts) {
            String text = String.valueOf(part);
            key.append(text.length()).append(':').append(text);
        }
        byte[] hash = Hashing.murmur3_128().hashBytes(key.toString().getBytes(StandardCharsets.UTF_8)).asBytes();
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (hash[i] & 0xff);
            low = (low << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }

    @Test
    void shouldNameAnInstanceAsTheGuavaHashDid() {
        Object[] parts = {"m-1234567", "bench-audience", 1, 1_796_160_297_000L, "export:bench:e1:m-1234567"};
        assertThat(Ids.of(parts)).isEqualTo(asGuavaMadeThem(parts));
    }

    @Test
    void shouldHashEveryLengthAndAlphabetAsGuavaDoes() {
        SplittableRandom random = new SplittableRandom(19);
        String alphabet = "abcXYZ019:-_ é€😀\u0000\u007f\u0080";
        for (int round = 0; round < 5_000; round++) {
            Object[] parts = new Object[random.nextInt(0, 6)];
            for (int i = 0; i < parts.length; i++) {
                int kind = random.nextInt(4);
                if (kind == 0) {
                    parts[i] = random.nextLong();
                } else if (kind == 1) {
                    parts[i] = null;
                } else {
                    // lengths over every tail of a 16-byte block, and prefixes of 1 to 3 digits
                    StringBuilder text = new StringBuilder();
                    int length = random.nextInt(0, kind == 2 ? 40 : 140);
                    boolean asciiOnly = random.nextBoolean();
                    for (int c = 0; c < length; c++) {
                        text.append(alphabet.charAt(random.nextInt(asciiOnly ? 10 : alphabet.length())));
                    }
                    parts[i] = text.toString();
                }
            }
            assertThat(Ids.of(parts)).as("round %d", round).isEqualTo(asGuavaMadeThem(parts));
        }
    }
}
