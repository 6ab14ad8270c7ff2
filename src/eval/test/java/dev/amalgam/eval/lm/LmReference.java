package dev.amalgam.eval.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.CausalLanguageModel;

/** Plain-Java (double) log-softmax over raw model logits: the independent side of the LM metric tests. */
public final class LmReference {
    private LmReference() {
    }

    /** log p(ids[to] | ids[from..to-1]) from one forward pass over exactly that context. */
    public static double logProb(CausalLanguageModel model, long[] ids, int from, int to) {
        long[] ctx = java.util.Arrays.copyOfRange(ids, from, to);
        try (NDManager m = model.manager().newSubManager()) {
            NDArray logits = model.logits(model.ownWeights(), m.create(ctx).reshape(1, ctx.length), null);
            int v = (int) logits.getShape().get(2);
            float[] all = logits.toFloatArray();
            double[] row = new double[v];
            for (int i = 0; i < v; i++) {
                row[i] = all[(ctx.length - 1) * v + i];
            }
            return logSoftmax(row)[(int) ids[to]];
        }
    }

    /** A tokenizer that maps texts to given ids (decoding unsupported). */
    static LmTokenizer ids(java.util.function.Function<String, long[]> encode) {
        return new LmTokenizer() {
            @Override
            public long[] encode(String text) {
                return encode.apply(text);
            }

            @Override
            public String decode(long[] ids) {
                throw new UnsupportedOperationException();
            }
        };
    }

    static double[] logSoftmax(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : row) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (double x : row) {
            sum += Math.exp(x - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i] - lse;
        }
        return out;
    }

    /** Σ log p(cont | ctx) token by token, each token with its own forward pass. */
    public static double continuation(CausalLanguageModel model, long[] ctx, long[] cont) {
        long[] all = java.util.Arrays.copyOf(ctx, ctx.length + cont.length);
        System.arraycopy(cont, 0, all, ctx.length, cont.length);
        double s = 0;
        for (int j = 0; j < cont.length; j++) {
            s += logProb(model, all, 0, ctx.length + j);
        }
        return s;
    }
}
