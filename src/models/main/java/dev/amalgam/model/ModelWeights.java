package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Set;

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
        ModelWeights inner = this;
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String n : inner.names()) {
            names.add(prefix + n);
        }
        return new ModelWeights() {
            @Override
            public Set<String> names() {
                return names;
            }

            @Override
            public NDArray load(String name, NDManager manager) {
                if (!name.startsWith(prefix)) {
                    throw new dev.amalgam.AmalgamException(inner.describe() + ": missing tensor '" + name + "'");
                }
                return inner.load(name.substring(prefix.length()), manager);
            }

            @Override
            public String describe() {
                return inner.describe();
            }
        };
    }
}
