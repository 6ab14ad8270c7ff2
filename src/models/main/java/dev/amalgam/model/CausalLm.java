package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;

/** Scoring and greedy decoding on top of {@link CausalLanguageModel}. */
public final class CausalLm {
    private CausalLm() {
    }

    /** Sum over continuation tokens of log p(token | prompt, earlier continuation tokens). */
    public static double logLikelihood(CausalLanguageModel model, long[] prompt, long[] continuation) {
        if (prompt.length == 0 || continuation.length == 0) {
            throw new IllegalArgumentException("prompt and continuation must be non-empty");
        }
        long[] all = concat(prompt, continuation);
        try (NDManager step = model.manager().newSubManager()) {
            NDArray ids = step.create(all).reshape(1, all.length);
            NDArray logp = model.logits(model.ownWeights(), ids, null).get(0).logSoftmax(-1);
            double sum = 0;
            for (int j = 0; j < continuation.length; j++) {
                sum += logp.getFloat(prompt.length + j - 1, continuation[j]);
            }
            return sum;
        }
    }

    /**
     * Greedy decoding of up to {@code maxNewTokens}, stopping after {@code eosId} (if ≥ 0). With
     * {@code useCache} the prompt is run once and each step feeds one token; without it every step
     * recomputes the whole sequence (the reference the cache is tested against).
     */
    public static long[] greedy(CausalLanguageModel model, long[] prompt, int maxNewTokens, long eosId,
                                boolean useCache) {
        long[] seq = prompt.clone();
        KvCache cache = useCache ? model.newCache() : null;
        try {
            long[] feed = prompt;
            for (int i = 0; i < maxNewTokens; i++) {
                long next;
                try (NDManager step = model.manager().newSubManager()) {
                    long[] input = useCache ? feed : seq;
                    NDArray ids = step.create(input).reshape(1, input.length);
                    NDArray logits = model.logits(model.ownWeights(), ids, cache);
                    next = logits.get(new NDIndex("0, -1")).argMax().getLong();
                }
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = next;
                feed = new long[] {next};
                if (next == eosId) {
                    break;
                }
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, seq.length);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
