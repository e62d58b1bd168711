package io.journeys.bench;

import io.journeys.sendtime.HoursOfWeek;
import java.util.Random;

/**
 * The best send hour that can be chosen from a profile's opens alone, by a learner that knows how the population
 * was made: the evaluation's "learnable ceiling". The oracle knows each person's true activity, which no number of
 * opens reveals; this knows only what the opens say, read with the generator's own law and prior. It draws
 * {@link #PEOPLE} people as {@link GeneratedPopulation} makes them (their habits), weighs each by the likelihood of
 * the profile's open hours (an open of a message sent at a random instant falls at hour h with probability
 * a(h) / Σ a: see the law in {@link GeneratedPopulation}), and sends at the hour whose expected open probability
 * under that posterior, Σ_m w_m · Σ_k e^(-k/3) a_m(h + k), is highest. An importance-sampling posterior: its
 * figure moves by a few tenths of a point with the number of people drawn (BENCHMARKS.md).
 */
final class BayesCeiling {

    static final int PEOPLE = 4_000;

    /** log(a_m(h) / Σ_h a_m(h)) per person and hour of the week. */
    private final double[][] logShare;
    /** The open probability (up to the propensity) of a send at each hour of the week, per person. */
    private final double[][] sendScore;

    BayesCeiling(long seed) {
        double[][] people = GeneratedPopulation.habitsOfPeople(PEOPLE, new Random(seed * 31 + 4));
        logShare = new double[PEOPLE][HoursOfWeek.COUNT];
        sendScore = new double[PEOPLE][HoursOfWeek.COUNT];
        for (int m = 0; m < PEOPLE; m++) {
            double[] activity = people[m];
            double total = 0;
            for (double a : activity) {
                total += a;
            }
            for (int h = 0; h < HoursOfWeek.COUNT; h++) {
                logShare[m][h] = Math.log(activity[h] / total);
                for (int k = 0; k < GeneratedPopulation.HOURS_AFTER; k++) {
                    sendScore[m][h] += GeneratedPopulation.freshness(k) * activity[(h + k) % HoursOfWeek.COUNT];
                }
            }
        }
    }

    /** The posterior's expected send score at each of {@code candidateHours}, given the profile's open hours. */
    double[] expectedScores(int[] openHours, int[] candidateHours) {
        double[] logWeight = new double[PEOPLE];
        double most = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < PEOPLE; m++) {
            for (int hour : openHours) {
                logWeight[m] += logShare[m][hour];
            }
            most = Math.max(most, logWeight[m]);
        }
        double[] expected = new double[candidateHours.length];
        for (int m = 0; m < PEOPLE; m++) {
            double weight = Math.exp(logWeight[m] - most); // scaled: only the argmax matters
            for (int c = 0; c < candidateHours.length; c++) {
                expected[c] += weight * sendScore[m][candidateHours[c]];
            }
        }
        return expected;
    }
}
