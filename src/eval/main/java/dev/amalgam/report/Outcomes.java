package dev.amalgam.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Per-example outcomes of one evaluated split, in example order: {@code hits[i]} of {@code trials} scored
 * correct (trials = 1: right or wrong; a column that averages several variants of the same example, e.g. the mean
 * over corruptions, has one trial per variant). {@code examples} fingerprints which examples were scored, so two
 * cells are only paired when they saw the same ones; it names the examples, not the transform applied to them, so
 * the corrupted copies of a test set share the clean set's fingerprint and are resampled together (docs/run.md,
 * "Statistics").
 */
public record Outcomes(String examples, int trials, int[] hits) {
    public Outcomes {
        if (trials < 1 || trials > 255) {
            throw new IllegalArgumentException("trials per example must be in 1..255, got " + trials);
        }
        for (int h : hits) {
            if (h < 0 || h > trials) {
                throw new IllegalArgumentException("hits per example must be in 0.." + trials + ", got " + h);
            }
        }
    }

    /** Right (1) or wrong (0) per example: {@code predicted[i] == labels[i]}. */
    public static Outcomes of(int[] predicted, int[] labels, String examples) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int[] hits = new int[labels.length];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = predicted[i] == labels[i] ? 1 : 0;
        }
        return new Outcomes(examples, 1, hits);
    }

    /** Per example, how many of the variants scored it right; every variant sees the same examples in the same order. */
    public static Outcomes sum(Outcomes... variants) {
        int[] hits = new int[variants[0].size()];
        int trials = 0;
        for (Outcomes v : variants) {
            if (v.size() != hits.length || !v.examples.equals(variants[0].examples)) {
                throw new IllegalArgumentException("variants must score the same examples");
            }
            for (int i = 0; i < hits.length; i++) {
                hits[i] += v.hits[i];
            }
            trials += v.trials;
        }
        return new Outcomes(variants[0].examples, trials, hits);
    }

    /**
     * A fingerprint of a split: SHA-256 over its name and the labels in example order (and any extra ids, such
     * as the indices drawn from a larger set), first 16 hex digits.
     */
    public static String fingerprint(String split, int[] labels, int... ids) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(split.getBytes(StandardCharsets.UTF_8));
            update(d, labels.length);
            for (int l : labels) {
                update(d, l);
            }
            update(d, ids.length);
            for (int i : ids) {
                update(d, i);
            }
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest d, int v) {
        d.update(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    public int size() {
        return hits.length;
    }

    /** The score of example {@code i} in [0, 1]. */
    public double score(int i) {
        return (double) hits[i] / trials;
    }

    /** Mean score over the examples: the split's accuracy. */
    public double mean() {
        long s = 0;
        for (int h : hits) {
            s += h;
        }
        return hits.length == 0 ? Double.NaN : (double) s / ((long) trials * hits.length);
    }

    /** Whether {@code other} scored the same examples (same fingerprint and count), so the two can be paired. */
    public boolean pairsWith(Outcomes other) {
        return other != null && examples.equals(other.examples) && size() == other.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcomes x && x.examples.equals(examples) && x.trials == trials && Arrays.equals(x.hits, hits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * examples.hashCode() + trials) + Arrays.hashCode(hits);
    }

    @Override
    public String toString() {
        return "Outcomes[" + examples + ", " + size() + " examples, " + trials + " trial(s), mean " + mean() + "]";
    }
}
