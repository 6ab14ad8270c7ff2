package dev.amalgam.train.clip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Batches of example indices for the CLIP trainers: each epoch is a fresh seeded permutation of all
 * {@code n} indices, cut into {@code n / batch} full batches (the remainder is dropped), drawn from
 * one generator in epoch order. {@code sorted}: each batch's indices in increasing order.
 */
public final class IndexBatches {
    private final int n;
    private final int batch;
    private final Random rng;
    private final boolean sorted;

    public IndexBatches(int n, int batch, Random rng, boolean sorted) {
        if (batch < 1 || batch > n) {
            throw new dev.amalgam.AmalgamException("batch size " + batch + " does not fit " + n + " training examples");
        }
        this.n = n;
        this.batch = batch;
        this.rng = rng;
        this.sorted = sorted;
    }

    public int perEpoch() {
        return n / batch;
    }

    /** Batches per epoch of {@code n} examples in batches of {@code batch}, checked as the constructor does. */
    public static int perEpoch(int n, int batch) {
        return new IndexBatches(n, batch, null, false).perEpoch();
    }

    /** The next epoch's batches. */
    public List<int[]> next() {
        int[] order = permutation(n, rng);
        List<int[]> out = new ArrayList<>();
        for (int pos = 0; pos + batch <= n; pos += batch) {
            int[] b = Arrays.copyOfRange(order, pos, pos + batch);
            if (sorted) {
                Arrays.sort(b);
            }
            out.add(b);
        }
        return out;
    }

    /** A seeded uniform permutation of 0..n-1 (Fisher–Yates, from the last position down). */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
