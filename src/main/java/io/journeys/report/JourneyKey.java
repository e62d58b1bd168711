package io.journeys.report;

import java.util.Comparator;

/** A journey version: reports are kept per journey id and version, since each version has its own graph. */
public record JourneyKey(String journeyId, int version) implements Comparable<JourneyKey> {

    private static final Comparator<JourneyKey> ORDER =
            Comparator.comparing(JourneyKey::journeyId).thenComparingInt(JourneyKey::version);

    @Override
    public int compareTo(JourneyKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return journeyId + " v" + version;
    }
}
