package dev.amalgam.report;

/**
 * The 95 % Wilson score interval of an accuracy measured on {@code n} examples: with
 * p̂ = k/n and z = 1.959964, centre = (p̂ + z²/2n) / (1 + z²/n) and half-width
 * = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n). Unlike the normal (Wald) interval it stays inside [0, 1]
 * and is not degenerate at 0 % or 100 % — which small evaluation splits often reach.
 */
public final class Wilson {
    public static final double Z95 = 1.959963984540054;

    private Wilson() {
    }

    /** {low, high} for accuracy {@code p} on {@code n} examples; NaNs when {@code p} is NaN or n is unknown (≤ 0). */
    public static double[] interval(double p, long n) {
        if (Double.isNaN(p) || n <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
