package dev.amalgam.eval.datasets;

import dev.amalgam.train.Example;

import java.util.List;

/** A dataset held in memory. */
public record ListDataset<E extends Example>(String name, List<String> classNames, List<E> examples)
        implements Dataset<E> {

    public ListDataset {
        classNames = List.copyOf(classNames);
        examples = List.copyOf(examples);
    }

    @Override
    public int size() {
        return examples.size();
    }

    @Override
    public E get(int index) {
        return examples.get(index);
    }
}
