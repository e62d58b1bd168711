package io.journeys.stats;

/**
 * An n-point Gauss–Legendre rule on [-1, 1], with the matrix that integrates from -1 up to each node: the
 * integral of the polynomial through the n values, so that a density and its running integral (a CDF) come
 * from the same evaluations. Computed once, with strict arithmetic and {@link StrictMath}, so the same bits
 * on every JVM.
 */
final class GaussLegendre {

    /** The nodes, in increasing order. */
    final double[] nodes;
    final double[] weights;
    /** {@code upTo[q][r]}: the weight of the value at node r in the integral from -1 to node q. */
    final double[][] upTo;

    GaussLegendre(int n) {
        nodes = new double[n];
        weights = new double[n];
        for (int i = 0; i < n; i++) {
            // Newton's method on P_n from the usual first guess; the roots are simple, so it converges fast
            double x = -StrictMath.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int iteration = 0; iteration < 100; iteration++) {
                double step = legendre(n, x) / derivative(n, x);
                x -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            double slope = derivative(n, x);
            nodes[i] = x;
            weights[i] = 2 / ((1 - x * x) * slope * slope);
        }
        upTo = new double[n][n];
        for (int q = 0; q < n; q++) {
            for (int r = 0; r < n; r++) {
                // The Lagrange polynomial of node r in Legendre terms has the coefficients (2m+1)/2 w_r P_m(x_r)
                // (the rule is exact for its products with P_m), and the integral of P_m from -1 to x is
                // (P_{m+1}(x) - P_{m-1}(x)) / (2m+1), or x + 1 for m = 0.
                double sum = nodes[q] + 1;
                for (int m = 1; m < n; m++) {
                    sum += legendre(m, nodes[r]) * (legendre(m + 1, nodes[q]) - legendre(m - 1, nodes[q]));
                }
                upTo[q][r] = weights[r] / 2 * sum;
            }
        }
    }

    /** P_m(x), by the three-term recurrence. */
    static double legendre(int m, double x) {
        double previous = 1;
        double current = x;
        if (m == 0) {
            return previous;
        }
        for (int j = 2; j <= m; j++) {
            double next = ((2 * j - 1) * x * current - (j - 1) * previous) / j;
            previous = current;
            current = next;
        }
        return current;
    }

    /** P_m'(x) inside (-1, 1). */
    private static double derivative(int m, double x) {
        return m * (x * legendre(m, x) - legendre(m - 1, x)) / (x * x - 1);
    }
}
