package dev.amalgam.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Mini-batches of a fixed list of examples. A shuffling source reorders the examples each epoch
 * with a {@link Random} seeded from (seed, epoch) alone, so epoch {@code k} has the same batches in
 * every run; a sequential source keeps the given order. The last batch may be smaller.
 */
public final class BatchSource<E> {
    private final List<E> examples;
    private final int batchSize;
    private final Collator<E> collator;
    private final boolean shuffle;
    private final long seed;

    private BatchSource(List<E> examples, int batchSize, Collator<E> collator, boolean shuffle, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.collator = collator;
        this.shuffle = shuffle;
        this.seed = seed;
    }

    public static <E> BatchSource<E> shuffled(List<E> examples, int batchSize, Collator<E> collator, long seed) {
        return new BatchSource<>(examples, batchSize, collator, true, seed);
    }

    public static <E> BatchSource<E> sequential(List<E> examples, int batchSize, Collator<E> collator) {
        return new BatchSource<>(examples, batchSize, collator, false, 0);
    }

    public int exampleCount() {
        return examples.size();
    }

    public int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    public Collator<E> collator() {
        return collator;
    }

    /** The batches of epoch {@code epoch} (0-based), as lists of examples. */
    public List<List<E>> epoch(int epoch) {
        List<E> order = new ArrayList<>(examples);
        if (shuffle) {
            Collections.shuffle(order, new Random(seed * 0x9E3779B97F4A7C15L + epoch));
        }
        List<List<E>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(order.size(), i + batchSize)));
        }
        return batches;
    }
}
