package dev.amalgam.eval.datasets;

import dev.amalgam.train.Example;

import java.util.AbstractList;
import java.util.List;

/**
 * A finite, indexed, labelled dataset. Examples may be produced lazily (an image folder decodes a
 * file on each {@link #get}), so callers should not assume {@code get} is cheap.
 */
public interface Dataset<E extends Example> {

    /** Human-readable name, e.g. {@code fashion_mnist/test}. */
    String name();

    /** Class names in label order: {@code classNames().get(label)}. */
    List<String> classNames();

    int size();

    E get(int index);

    /** Label of example {@code index}; overridden where it is cheaper than decoding the example. */
    default int label(int index) {
        return get(index).label();
    }

    default int numClasses() {
        return classNames().size();
    }

    /** All labels, in index order. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** A lazy list view of the examples. */
    default List<E> asList() {
        Dataset<E> self = this;
        return new AbstractList<>() {
            @Override
            public E get(int index) {
                return self.get(index);
            }

            @Override
            public int size() {
                return self.size();
            }
        };
    }
}
