package dev.amalgam.merge.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A recipe data block's examples: shuffled with its seed (java.util.Random), then the first {@code limit}. */
final class Sampling {
    private Sampling() {
    }

    static <T> List<T> pick(List<T> all, int limit, long seed) {
        List<T> copy = new ArrayList<>(all);
        Collections.shuffle(copy, new Random(seed));
        return List.copyOf(copy.subList(0, Math.min(limit, copy.size())));
    }
}
