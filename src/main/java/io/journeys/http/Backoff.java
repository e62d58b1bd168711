package io.journeys.http;

import java.util.function.DoubleSupplier;

/**
 * Delays between attempts of a call: exponential (0.5 s, 1 s, 2 s, ... up to 30 s) with full jitter, so
 * that callers failing together do not retry together.
 */
public final class Backoff {

    private static final long FIRST_MILLIS = 500;
    private static final long LONGEST_MILLIS = 30_000;

    private Backoff() {}

    /** The longest delay before retry number {@code retry} (1-based). */
    public static long longestDelayMillis(int retry) {
        return Math.min(LONGEST_MILLIS, FIRST_MILLIS << Math.min(retry - 1, 16));
    }

    /** A delay before retry number {@code retry}, uniformly drawn up to the longest; {@code random} in [0, 1). */
    public static long delayMillis(int retry, DoubleSupplier random) {
        return (long) (longestDelayMillis(retry) * random.getAsDouble());
    }
}
