package dev.amalgam.eval.datasets;

import dev.amalgam.train.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic, seeded, stratified splitting and subsampling. The same (dataset labels, seed,
 * fraction) always gives the same indices, on every JVM: the shuffle is a Fisher-Yates over a
 * {@link SplittableRandom}, whose sequence is specified by its seed.
 */
public final class Splits {
    private Splits() {
    }

    /** Two disjoint subsets: ({@code fraction} of every class, the rest), each in ascending index order. */
    public static <E extends Example> List<Subset<E>> stratifiedSplit(Dataset<E> data, double fraction, long seed,
                                                                      String firstName, String secondName) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1]: " + fraction);
        }
        boolean[] first = new boolean[data.size()];
        List<int[]> byClass = indicesByClass(data);
        for (int c = 0; c < byClass.size(); c++) {
            int[] idx = byClass.get(c);
            shuffle(idx, new SplittableRandom(mix(seed, c)));
            int take = (int) Math.round(fraction * idx.length);
            for (int i = 0; i < take; i++) {
                first[idx[i]] = true;
            }
        }
        return List.of(new Subset<>(data, select(first, true), firstName),
                new Subset<>(data, select(first, false), secondName));
    }

    /** At most {@code perClass} examples of every class, chosen at random but reproducibly. */
    public static <E extends Example> Subset<E> subsamplePerClass(Dataset<E> data, int perClass, long seed) {
        boolean[] keep = new boolean[data.size()];
        List<int[]> byClass = indicesByClass(data);
        for (int c = 0; c < byClass.size(); c++) {
            int[] idx = byClass.get(c);
            shuffle(idx, new SplittableRandom(mix(seed, c)));
            for (int i = 0; i < Math.min(perClass, idx.length); i++) {
                keep[idx[i]] = true;
            }
        }
        return new Subset<>(data, select(keep, true), data.name() + "[" + perClass + "/class]");
    }

    /**
     * About {@code total} examples with the class proportions of the whole (stratified); each class
     * gets round(total * share), so the result may differ from {@code total} by rounding.
     */
    public static <E extends Example> Subset<E> subsample(Dataset<E> data, int total, long seed) {
        if (total >= data.size()) {
            return new Subset<>(data, range(data.size()), data.name());
        }
        double fraction = (double) total / data.size();
        return stratifiedSplit(data, fraction, seed, data.name() + "[" + total + "]", "rest").get(0);
    }

    static List<int[]> indicesByClass(Dataset<?> data) {
        int n = data.size();
        int k = data.numClasses();
        int[] labels = data.labels();
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException(data.name() + ": label " + labels[i] + " at " + i
                        + " outside [0, " + k + ")");
            }
            counts[labels[i]]++;
        }
        List<int[]> out = new ArrayList<>(k);
        int[] fill = new int[k];
        for (int c = 0; c < k; c++) {
            out.add(new int[counts[c]]);
        }
        for (int i = 0; i < n; i++) {
            out.get(labels[i])[fill[labels[i]]++] = i;
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] select(boolean[] mask, boolean value) {
        int count = 0;
        for (boolean b : mask) {
            if (b == value) {
                count++;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == value) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** SplitMix64 finaliser of (seed, salt): independent streams per class / per image. */
    public static long mix(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
