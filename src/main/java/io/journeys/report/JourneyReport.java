package io.journeys.report;

import io.journeys.dsl.Journey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The counts of one journey version (README, Reports, says what each means).
 *
 * @param definition the journey's document, or null when the report was built from events alone
 * @param rules the step events carrying a delivery rule's code, by code (every code of this release, 0 when
 *     none, for a document that names a rule set)
 * @param steps by step id, in the graph's order (see {@link StepGraph})
 * @param edges every port of every step with a document (0 when never taken), else the ports taken
 * @param sendTimes by step id, in the graph's order: the steps with {@code sendTime} in the document, and any
 *     whose events carry a send-time choice
 */
public record JourneyReport(JourneyKey key, Journey definition, long entered, long completed, long exited,
        long timedOut, long errors, long inside, long excluded, Map<String, Long> rules, Map<String, StepCounts> steps,
        List<EdgeCount> edges, Map<String, GoalResult> goals, Map<String, ExperimentResult> experiments,
        Map<String, SendTimeCounts> sendTimes) {

    /** The instances that took some port out of {@code stepId}. */
    public long departures(String stepId) {
        return edges.stream().filter(e -> e.from().equals(stepId)).mapToLong(EdgeCount::count).sum();
    }

    /**
     * A step's counts.
     *
     * @param held arrivals at the step whose action quiet hours held (RUL-006), once per arrival
     * @param excluded entries refused at the step (the start step)
     * @param errors the events at the step carrying an error code that is not a delivery rule's, by code
     * @param rules the events at the step carrying a delivery rule's code, by code
     */
    public record StepCounts(String type, long reached, long waiting, long held, long executed, long completed,
            long exited, long timedOut, long skipped, long excluded, Map<String, Long> errors,
            Map<String, Long> rules) {

        /** Every event at the step that carried an error code. */
        public long errorTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * When the messages of a step with {@code sendTime} were scheduled to go (each choice once: a message then
     * held by quiet hours, or never sent because the instance exited, still counts where it was scheduled).
     *
     * @param scheduled the choices made at the step
     * @param byBasis choices by why: profile, population, atOnce, explore (each, 0 when none)
     * @param localHours 24 counts: choices by local hour of the day of the instant chosen, in the profile's zone
     * @param localDays 7 counts, Monday first: choices by local day of the week
     * @param delayMedian the median time from the instance's arrival at the step to the instant chosen (to the
     *     minute), or null without choices
     * @param delayP90 its 90th percentile (nearest rank), or null
     */
    public record SendTimeCounts(long scheduled, Map<String, Long> byBasis, List<Long> localHours,
            List<Long> localDays, Duration delayMedian, Duration delayP90) {}

    /**
     * Instances that went from a step to another through one of its ports.
     *
     * @param branch the port's name ({@code next}, {@code choices/0} ...), or null when the events named none
     */
    public record EdgeCount(String from, String to, String branch, long count) {}

    /** @param rate conversions / entered (0 when none entered) */
    public record GoalResult(long conversions, double rate, Interval ci95) {}

    /**
     * @param goal the experiment's goal (from the document), or null without one
     * @param winner the arm profiles took as the winner, or null
     */
    public record ExperimentResult(String goal, String winner, Map<String, ArmResult> arms) {}

    /**
     * @param rate conversions / profiles (0 without profiles)
     * @param probabilityBest the probability that this arm converts best, or null when it cannot be said (a
     *     single arm, or more than the statistics handle)
     * @param control whether this is the holdout arm, or null without a document
     */
    public record ArmResult(long profiles, long conversions, double rate, Interval ci95, Double probabilityBest,
            Boolean control) {}

    /** A 95% interval of a rate, within [0, 1]. */
    public record Interval(double low, double high) {}
}
