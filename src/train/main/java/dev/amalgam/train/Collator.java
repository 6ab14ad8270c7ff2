package dev.amalgam.train;

import ai.djl.ndarray.NDManager;

import java.util.List;

/** Turns a list of examples into one {@link LabeledBatch} whose arrays belong to {@code manager}. */
@FunctionalInterface
public interface Collator<E> {
    LabeledBatch collate(NDManager manager, List<E> examples);
}
