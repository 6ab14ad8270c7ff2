package dev.amalgam.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The 95 % paired-bootstrap percentile interval of the difference in mean accuracy between two cells scored on
 * the same examples (docs/run.md, "Statistics"). The difference is the unweighted mean over columns (tasks, OOD
 * entries) of each column's mean per-example difference, as the tables average them. One replicate draws, for
 * every set of examples (columns with the same fingerprint share one draw), as many examples as it has, uniformly
 * with replacement, and recomputes that mean. The interval is the ⌈B·0.025⌉-th smallest and the ⌈B·0.025⌉-th
 * largest of B replicates.
 */
public final class PairedBootstrap {
    public static final int DEFAULT_REPLICATES = 2000;
    public static final long DEFAULT_SEED = 15L;
    public static final double ALPHA = 0.05;

    private PairedBootstrap() {
    }

    /** One column of the comparison: cell A's and cell B's outcomes on the same examples. */
    public record Pair(Outcomes a, Outcomes b) {
        public Pair {
            if (!a.pairsWith(b)) {
                throw new IllegalArgumentException("unpaired outcomes: " + a + " vs " + b);
            }
        }
    }

    /**
     * @param difference mean over columns of (A − B), as fractions
     * @param columns    how many columns it averages
     */
    public record Interval(double difference, double low, double high, int columns) {
        /** Whether the interval excludes 0. */
        public boolean significant() {
            return low > 0 || high < 0;
        }
    }

    public static Interval of(List<Pair> columns) {
        return of(columns, DEFAULT_REPLICATES, DEFAULT_SEED);
    }

    public static Interval of(List<Pair> columns, int replicates, long seed) {
        if (columns.isEmpty()) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] r = replicates(columns, replicates, seed);
        Arrays.sort(r);
        int k = (int) Math.ceil(replicates * ALPHA / 2);
        return new Interval(difference(columns), r[k - 1], r[replicates - k], columns.size());
    }

    /** The observed difference: mean over columns of the column's mean per-example difference. */
    public static double difference(List<Pair> columns) {
        double s = 0;
        for (Pair p : columns) {
            s += p.a().mean() - p.b().mean();
        }
        return s / columns.size();
    }

    /** The B bootstrap replicates of {@link #difference}, in draw order. */
    static double[] replicates(List<Pair> columns, int replicates, long seed) {
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates must be positive, got " + replicates);
        }
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (Pair p : columns) {
            double[] d = new double[p.a().size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = p.a().score(i) - p.b().score(i);
            }
            groups.computeIfAbsent(p.a().examples() + "#" + d.length, g -> new ArrayList<>()).add(d);
        }
        // per set of examples: [example][column], so one draw reads its columns together
        List<double[][]> byExample = new ArrayList<>();
        for (List<double[]> g : groups.values()) {
            double[][] m = new double[g.get(0).length][g.size()];
            for (int c = 0; c < g.size(); c++) {
                for (int i = 0; i < m.length; i++) {
                    m[i][c] = g.get(c)[i];
                }
            }
            byExample.add(m);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[replicates];
        for (int b = 0; b < replicates; b++) {
            double total = 0;
            for (double[][] g : byExample) {
                int n = g.length;
                double[] sums = new double[g.length == 0 ? 0 : g[0].length];
                for (int j = 0; j < n; j++) {
                    double[] row = g[random.nextInt(n)];
                    for (int c = 0; c < sums.length; c++) {
                        sums[c] += row[c];
                    }
                }
                for (double s : sums) {
                    total += n == 0 ? 0 : s / n;
                }
            }
            out[b] = total / columns.size();
        }
        return out;
    }
}
