package io.journeys.engine;

import io.journeys.dsl.JourneyParser;
import java.io.Serializable;
import java.time.Duration;

/**
 * Limits that keep one journey, profile or input from hurting the whole job. Each has a configuration key
 * (README, "Configuration"). The limits of expressions are fixed, not configured: see
 * {@link io.journeys.expr.ExpressionLimits}.
 *
 * @param maxStepsPerJourney a journey with more steps is rejected (JRN-028)
 * @param maxLiveInstancesPerProfile a profile already in this many journeys enters no more (dead letter ENG-005)
 * @param maxPayloadBytes a larger input record is a dead letter (INP-007)
 * @param maxEventHistory events kept per profile for countEvents (oldest dropped first)
 * @param duplicateTtl an event whose id was seen within this period is a duplicate (dead letter ENG-004)
 */
public record GuardRails(int maxStepsPerJourney, int maxLiveInstancesPerProfile, int maxPayloadBytes,
        int maxEventHistory, Duration duplicateTtl) implements Serializable {

    /**
     * The defaults, written here only: the configuration's keys (job.JobConfig) and README's table show these.
     * The step limit is the parser's own default, since the parser (dsl) sits below the engine.
     */
    public static final GuardRails DEFAULTS = new GuardRails(JourneyParser.DEFAULT_MAX_STEPS, 100, 64 * 1024,
            1_000, Duration.ofHours(24));

    public GuardRails {
        positive("maxStepsPerJourney", maxStepsPerJourney);
        positive("maxLiveInstancesPerProfile", maxLiveInstancesPerProfile);
        positive("maxPayloadBytes", maxPayloadBytes);
        positive("maxEventHistory", maxEventHistory);
        if (duplicateTtl == null || duplicateTtl.isNegative() || duplicateTtl.isZero()) {
            throw new IllegalArgumentException("Expected a positive duplicateTtl, but found " + duplicateTtl);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Expected a positive " + name + ", but found " + value);
        }
    }
}
