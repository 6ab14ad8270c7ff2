package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.amalgam.AmalgamException;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/** A checkpoint's tensors by Hugging Face state-dict name, read one at a time. */
public interface ModelWeights {

    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /** The tensor as a new float32 array in {@code manager}; an AmalgamException naming the source if absent. */
    NDArray load(String name, NDManager manager);

    /** A short label for error messages, usually the path. */
    String describe();

    /**
     * A view in which name {@code prefix + k} reads stored tensor {@code k} (e.g. GPT-2 checkpoints saved
     * from {@code GPT2Model}, whose keys lack {@code transformer.}).
     */
    default ModelWeights withPrefixAdded(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : names()) {
            names.add(prefix + n);
        }
        return renamed(names, name -> {
            if (!name.startsWith(prefix)) {
                throw new AmalgamException(describe() + ": missing tensor '" + name + "'");
            }
            return name.substring(prefix.length());
        });
    }

    /**
     * A view in which name {@code k} reads stored tensor {@code prefix + k}, without the tensors outside the prefix
     * (e.g. the encoder of a {@code BertFor*} checkpoint, whose keys start with {@code bert.}).
     */
    default ModelWeights withPrefixRemoved(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : names()) {
            if (n.startsWith(prefix)) {
                names.add(n.substring(prefix.length()));
            }
        }
        return renamed(names, name -> prefix + name);
    }

    /** A view with {@code names}, each read from the stored tensor {@code stored} maps it to. */
    private ModelWeights renamed(Set<String> names, UnaryOperator<String> stored) {
        ModelWeights inner = this;
        return new ModelWeights() {
            @Override
            public Set<String> names() {
                return names;
            }

            @Override
            public NDArray load(String name, NDManager manager) {
                return inner.load(stored.apply(name), manager);
            }

            @Override
            public String describe() {
                return inner.describe();
            }
        };
    }
}
