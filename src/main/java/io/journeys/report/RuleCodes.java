package io.journeys.report;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The error codes delivery rules put on step events (DESIGN §9.3): the report counts them apart from errors,
 * since a message a rule kept back is the rule working, not a failure.
 */
final class RuleCodes {

    static final String CAPPED = "RUL-001";
    static final String HELD = "RUL-006";

    /** Every code of this release with what it did, in code order. */
    static final SortedMap<String, String> MEANINGS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "RUL-001", "skipped by a frequency cap",
            "RUL-002", "discarded by quiet hours",
            "RUL-003", "held longer than maxHold",
            "RUL-004", "excluded by the entry cap",
            "RUL-005", "excluded by the concurrency cap",
            HELD, "held by quiet hours")));

    private RuleCodes() {}

    /** Whether a step event's error code is a rule's (also one a later release adds). */
    static boolean isRule(String errorCode) {
        return errorCode != null && errorCode.startsWith("RUL-");
    }

    /** What the code means, or "a delivery rule" for one this release does not know. */
    static String meaning(String code) {
        return MEANINGS.getOrDefault(code, "a delivery rule");
    }
}
