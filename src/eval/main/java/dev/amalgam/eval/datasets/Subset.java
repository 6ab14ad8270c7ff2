package dev.amalgam.eval.datasets;

import dev.amalgam.train.Example;

import java.util.List;

/** A view of selected indices of another dataset (no copying, no decoding). */
public final class Subset<E extends Example> implements Dataset<E> {
    private final Dataset<E> parent;
    private final int[] indices;
    private final String name;

    public Subset(Dataset<E> parent, int[] indices, String name) {
        for (int i : indices) {
            if (i < 0 || i >= parent.size()) {
                throw new IndexOutOfBoundsException("index " + i + " outside " + parent.name());
            }
        }
        this.parent = parent;
        this.indices = indices.clone();
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return parent.classNames();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public E get(int index) {
        return parent.get(indices[index]);
    }

    @Override
    public int label(int index) {
        return parent.label(indices[index]);
    }

    /** The parent indices this subset selects, in order. */
    public int[] parentIndices() {
        return indices.clone();
    }
}
