package io.journeys.engine;

import io.journeys.dsl.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Sends the profile down one branch. The branch is chosen by a stable hash of profile, journey and step
 * into 10,000 equal buckets, so a replay (or a later version) takes the same branch, and over many
 * profiles each branch gets its percent of them.
 */
final class SplitStepProcessor implements StepProcessor<Step.Split> {

    static final int BUCKETS = 10_000;

    @Override
    public StepOutcome run(Step.Split split, StepContext context) {
        int bucket = bucket(context.profileId(), context.journey().id(), split.id());
        int chosen = share(bucket, split.branches(), Step.Branch::percent);
        return StepOutcome.Next.to(split.branches().get(chosen).next(), Step.Port.item("branches", chosen));
    }

    /** The index of the share a bucket falls in, shares in percent summing to 100. */
    static <T> int share(int bucket, List<T> shares, ToDoubleFunction<T> percent) {
        long upper = 0;
        for (int i = 0; i < shares.size(); i++) {
            upper += Math.round(percent.applyAsDouble(shares.get(i)) * (BUCKETS / 100));
            if (bucket < upper) {
                return i;
            }
        }
        // percents sum to 100 (validated): only rounding can lead here
        return shares.size() - 1;
    }

    /** Each task thread's SHA-256: looking one up costs as much as the digest of a short text. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Expected SHA-256 on every JVM, but it is missing", e);
        }
    });

    /** A bucket in [0, 10000) from the first 8 bytes of SHA-256: uniform, and the same on every JVM. */
    static int bucket(String profileId, String journeyId, String stepId) {
        byte[] digest = SHA_256.get()
                .digest((profileId + '\u0000' + journeyId + '\u0000' + stepId).getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(value, BUCKETS);
    }
}
