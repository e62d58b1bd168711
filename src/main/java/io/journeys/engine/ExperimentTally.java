package io.journeys.engine;

import io.journeys.avro.ExperimentCounts;
import io.journeys.avro.ExperimentRequest;
import io.journeys.stats.BetaPosteriors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of one experiment step and its winner rule, the same in the job's keyed counter and in a
 * simulation's in-line one: profiles assigned and conversions, per arm, and the winner once it is known.
 *
 * <p>The rule: once {@code after} has passed since the first profile reached the step and every arm has at
 * least {@code minPerArm} profiles, each arm's conversion rate gets a Beta(1 + conversions, 1 + profiles −
 * conversions) posterior; the non-control arm whose rate is the highest with probability at least
 * {@code confidence} becomes the winner, and every later profile takes it. It never changes after.
 *
 * <p>Until it decides, the rule is looked at on assignments and conversions, each time the counts (profiles
 * assigned plus conversions) have grown by 1/{@value #GROWTH_BETWEEN_LOOKS} since the last look (so at every
 * count up to 100). The probability that an arm is best is a numerical quadrature (about 30 µs for three
 * arms) and moves little with one more profile among thousands, so looking at every assignment cost the job
 * a fifth of its CPU on experiments whose arms did not separate, for a decision at most 1% of the counts
 * sooner. The schedule depends only on the counts, so the same counts decide at the same count.
 */
public final class ExperimentTally {

    /** The rule is looked at again once the counts have grown by 1/this since the last look. */
    static final long GROWTH_BETWEEN_LOOKS = 100;

    private ExperimentTally() {}

    /** Counts before the first profile. */
    public static ExperimentCounts empty(long firstAt) {
        return new ExperimentCounts(firstAt, new HashMap<>(), new HashMap<>(), null, 0L);
    }

    /** What an assignment gave: the arm, and whether it is the winner's. */
    public record Assignment(String arm, boolean byWinner) {}

    /** A profile reached the step: it takes the winner if there is one by now, else the arm of its hash. */
    public static Assignment assign(ExperimentCounts counts, ExperimentRequest request) {
        decide(counts, request);
        String arm = counts.getWinner() != null ? counts.getWinner() : request.getArm();
        counts.getProfiles().merge(arm, 1L, Long::sum);
        return new Assignment(arm, counts.getWinner() != null);
    }

    /**
     * Counts an assignment the engine took (the arm it knew as the winner, else its hash) and looks at the rule:
     * the winner it decides now, or null (none yet, or decided before).
     */
    public static String count(ExperimentCounts counts, ExperimentRequest taken) {
        counts.getProfiles().merge(taken.getArm(), 1L, Long::sum);
        return decide(counts, taken);
    }

    /**
     * An instance of the arm converted on the experiment's goal: counted, and the rule looked at, since a
     * conversion is what moves it; the winner decided now, or null.
     */
    public static String convert(ExperimentCounts counts, ExperimentRequest conversion) {
        counts.getConversions().merge(conversion.getArm(), 1L, Long::sum);
        return decide(counts, conversion);
    }

    /** Looks at the rule with the counts as they are: the winner it decides now, or null. */
    private static String decide(ExperimentCounts counts, ExperimentRequest request) {
        if (counts.getWinner() != null || request.getWinnerAfter() < 0) {
            return null;
        }
        counts.setWinner(winner(counts, request));
        return counts.getWinner();
    }

    /** The winner the rule picks with these counts at the request's instant, or null. */
    static String winner(ExperimentCounts counts, ExperimentRequest request) {
        if (request.getTimestamp() - counts.getFirstAt() < request.getWinnerAfter()) {
            return null;
        }
        long counted = total(counts.getProfiles()) + total(counts.getConversions());
        if (counted < counts.getNextLookAt()) {
            return null;
        }
        List<String> arms = request.getArms();
        long[] profiles = new long[arms.size()];
        long[] conversions = new long[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            profiles[i] = counts.getProfiles().getOrDefault(arms.get(i), 0L);
            // a conversion reported after a failure may precede its assignment's count: never above profiles
            conversions[i] = Math.min(profiles[i], counts.getConversions().getOrDefault(arms.get(i), 0L));
            if (profiles[i] < request.getMinPerArm()) {
                return null;
            }
        }
        counts.setNextLookAt(counted + Math.max(1, counted / GROWTH_BETWEEN_LOOKS));
        double[] best = BetaPosteriors.probabilityBest(profiles, conversions);
        for (int i = 0; i < arms.size(); i++) {
            if (!arms.get(i).equals(request.getControl()) && best[i] >= request.getConfidence()) {
                return arms.get(i);
            }
        }
        return null;
    }

    private static long total(Map<String, Long> counts) {
        long total = 0;
        for (long n : counts.values()) {
            total += n;
        }
        return total;
    }
}
