package dev.amalgam.eval.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;

import java.util.Arrays;
import java.util.List;

/**
 * Token-level perplexity with the sliding-window scheme of Hugging Face's perplexity guide: windows of
 * {@code maxLength} tokens start every {@code stride} tokens; each window scores only the tokens the
 * previous window did not, so every token after the first is predicted exactly once, with up to
 * {@code maxLength - 1} tokens of context. stride = maxLength gives disjoint chunks. Mean NLL = Σ NLL / count.
 */
public final class Perplexity {
    private Perplexity() {
    }

    /** Over texts scored independently (each text's first token is context only). */
    public static TokenNll evaluate(CausalLanguageModel model, LmTokenizer tok, List<String> texts, int maxLength,
                                    int stride) {
        TokenNll total = TokenNll.ZERO;
        for (String text : texts) {
            double[] nll = tokenNll(model, tok.encode(text), maxLength, stride);
            double sum = 0;
            long count = 0;
            for (double x : nll) {
                if (!Double.isNaN(x)) {
                    sum += x;
                    count++;
                }
            }
            total = total.plus(new TokenNll(sum, count));
        }
        return total;
    }

    /**
     * NLL of every predicted token: entry i belongs to token i + 1; NaN marks a token no window predicts
     * (with stride = maxLength, the first token of each chunk after the first, as in the guide).
     */
    public static double[] tokenNll(CausalLanguageModel model, long[] ids, int maxLength, int stride) {
        if (maxLength < 2 || stride < 1 || stride > maxLength) {
            throw new AmalgamException("perplexity needs window >= 2 and 1 <= stride <= window, got window "
                    + maxLength + ", stride " + stride);
        }
        if (maxLength > model.maxSequenceLength()) {
            throw new AmalgamException("perplexity window " + maxLength + " exceeds the model's "
                    + model.maxSequenceLength() + " positions");
        }
        int n = ids.length;
        double[] out = new double[Math.max(0, n - 1)];
        Arrays.fill(out, Double.NaN);
        int prevEnd = 0;
        for (int begin = 0; begin < n && prevEnd < n; begin += stride) {
            int end = Math.min(begin + maxLength, n);
            int first = Math.max(prevEnd, begin + 1); // a window's first token has no prediction in it
            prevEnd = end;
            if (end <= first) {
                continue;
            }
            long[] window = Arrays.copyOfRange(ids, begin, end);
            try (NDManager step = model.manager().newSubManager()) {
                NDArray logits = model.logits(model.ownWeights(), step.create(window).reshape(1, window.length), null)
                        .get(0).get(new NDIndex("{}:{}", first - 1 - begin, end - 1 - begin));
                long[] targets = Arrays.copyOfRange(ids, first, end);
                float[] picked = logits.logSoftmax(-1)
                        .gather(step.create(targets).reshape(targets.length, 1), 1).toFloatArray();
                for (int t = first; t < end; t++) {
                    out[t - 1] = -picked[t - first];
                }
            }
        }
        return out;
    }
}
