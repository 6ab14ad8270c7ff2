package dev.amalgam.model;

import ai.djl.ndarray.NDArray;

/** A decoder-only language model (GPT-2, Llama family). */
public interface CausalLanguageModel extends InPlaceParameters, AutoCloseable {

    /**
     * Next-token logits [B, T, V] for token ids [B, T] (int64). With a cache, the ids continue the cached
     * sequence and their keys/values are appended to it; with {@code null} the ids are the whole sequence.
     * Intermediate and result arrays live in the manager of {@code ids}.
     */
    NDArray logits(WeightLookup weights, NDArray ids, KvCache cache);

    /** The model's own parameters as the weight lookup. */
    WeightLookup ownWeights();

    KvCache newCache();

    int vocabSize();

    /** End-of-sequence id from config.json, or -1 if none. */
    long eosTokenId();

    ai.djl.ndarray.NDManager manager();

    /** Longest sequence the model can attend over (learned position tables); unlimited by default. */
    default long maxSequenceLength() {
        return Long.MAX_VALUE;
    }

    @Override
    void close();
}
