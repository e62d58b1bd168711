package io.journeys.stats;

/** Exact and near-exact values to test against, computed independently of the quadrature. */
final class ClosedForm {

    private ClosedForm() {}

    /**
     * P(X_B > X_A) for X_A ~ Beta(αA, βA) and X_B ~ Beta(αB, βB) with integer parameters (Evan Miller,
     * "Formulas for Bayesian A/B testing"): the sum over i < αB of
     * B(αA + i, βA + βB) / ((βB + i) B(1 + i, βB) B(αA, βA)), each term in log space.
     */
    static double probabilityBBeatsA(long alphaA, long betaA, long alphaB, long betaB) {
        double[] logFactorial = logFactorials(alphaA + betaA + alphaB + betaB);
        double sum = 0;
        for (long i = 0; i < alphaB; i++) {
            sum += Math.exp(logBeta(logFactorial, alphaA + i, betaA + betaB) - Math.log(betaB + i)
                    - logBeta(logFactorial, 1 + i, betaB) - logBeta(logFactorial, alphaA, betaA));
        }
        return sum;
    }

    /** log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), with log Γ(m) = log (m - 1)! for an integer m. */
    private static double logBeta(double[] logFactorial, long a, long b) {
        return logFactorial[(int) (a - 1)] + logFactorial[(int) (b - 1)] - logFactorial[(int) (a + b - 1)];
    }

    /** log m! for m up to max, summed with Kahan's compensation so that 10^5 terms lose nothing. */
    private static double[] logFactorials(long max) {
        double[] table = new double[(int) max + 1];
        double sum = 0;
        double compensation = 0;
        for (int m = 2; m <= max; m++) {
            double term = Math.log(m) - compensation;
            double next = sum + term;
            compensation = (next - sum) - term;
            sum = next;
            table[m] = sum;
        }
        return table;
    }

    /**
     * P(Z > z) for a standard normal Z and z ≥ 0: erfc(z / √2) / 2, with erfc from Abramowitz and Stegun 7.1.26
     * (absolute error below 1.5e-7).
     */
    static double normalUpperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429))));
        return poly * Math.exp(-x * x) / 2;
    }
}
