package io.journeys.stats;

import java.util.Random;

/** P(arm is best) by sampling each arm's posterior Beta(1 + c, 1 + n - c) and counting which sample is highest. */
final class MonteCarlo {

    private MonteCarlo() {}

    static double[] probabilityBest(long[] profiles, long[] conversions, int samples, Random random) {
        int k = profiles.length;
        long[] wins = new long[k];
        for (int s = 0; s < samples; s++) {
            int best = 0;
            double highest = -1;
            for (int i = 0; i < k; i++) {
                double x = beta(1 + conversions[i], 1 + profiles[i] - conversions[i], random);
                if (x > highest) {
                    highest = x;
                    best = i;
                }
            }
            wins[best]++;
        }
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = (double) wins[i] / samples;
        }
        return p;
    }

    /** Beta(a, b) as G_a / (G_a + G_b) for independent Gamma(a, 1) and Gamma(b, 1). */
    private static double beta(double a, double b, Random random) {
        double x = gamma(a, random);
        return x / (x + gamma(b, random));
    }

    /** Gamma(shape, 1) for shape ≥ 1, by Marsaglia and Tsang's squeeze-free method. */
    private static double gamma(double shape, Random random) {
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
