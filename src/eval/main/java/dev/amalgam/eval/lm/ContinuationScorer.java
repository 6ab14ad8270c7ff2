package dev.amalgam.eval.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;

import java.util.Arrays;

/**
 * log p(continuation | context) as lm-evaluation-harness computes it: trailing whitespace of the context
 * moves to the continuation, the continuation's tokens are those of tokenize(context + continuation)
 * after the context's own tokens, an empty context becomes the EOS token, and a pair longer than the
 * model's positions loses context tokens from the left. As lm-eval, the last continuation token is
 * predicted but never fed, so context + continuation may be one token longer than the model's positions.
 * An empty continuation has log-likelihood 0.
 */
public final class ContinuationScorer {
    private final CausalLanguageModel model;
    private final LmTokenizer tok;

    public ContinuationScorer(CausalLanguageModel model, LmTokenizer tok) {
        this.model = model;
        this.tok = tok;
    }

    public double logLikelihood(String context, String continuation) {
        int spaces = context.length() - context.stripTrailing().length();
        if (spaces > 0) {
            continuation = context.substring(context.length() - spaces) + continuation;
            context = context.substring(0, context.length() - spaces);
        }
        long[] ctx = tok.encode(context);
        long[] whole = tok.encode(context + continuation);
        long[] cont = Arrays.copyOfRange(whole, Math.min(ctx.length, whole.length), whole.length);
        if (cont.length == 0) {
            return 0;
        }
        if (ctx.length == 0) {
            if (model.eosTokenId() < 0) {
                throw new AmalgamException("empty context and the model's config.json has no eos_token_id to stand for it");
            }
            ctx = new long[] {model.eosTokenId()};
        }
        long max = model.maxSequenceLength() == Long.MAX_VALUE ? Long.MAX_VALUE : model.maxSequenceLength() + 1;
        if (cont.length >= max) {
            throw new AmalgamException("continuation of " + cont.length + " tokens does not fit the model's "
                    + model.maxSequenceLength() + " positions with any context: '" + abbreviate(continuation) + "'");
        }
        if (ctx.length + cont.length > max) {
            ctx = Arrays.copyOfRange(ctx, (int) (ctx.length + cont.length - max), ctx.length);
        }
        return sumLogProb(ctx, cont);
    }

    /** Σ_j log p(cont[j] | ctx, cont[..j]) from one forward pass over ctx + cont without its last token. */
    private double sumLogProb(long[] ctx, long[] cont) {
        long[] fed = Arrays.copyOf(ctx, ctx.length + cont.length - 1);
        System.arraycopy(cont, 0, fed, ctx.length, cont.length - 1);
        try (NDManager step = model.manager().newSubManager()) {
            NDArray logits = model.logits(model.ownWeights(), step.create(fed).reshape(1, fed.length), null)
                    .get(0).get(new NDIndex("{}:", ctx.length - 1));
            float[] picked = logits.logSoftmax(-1).gather(step.create(cont).reshape(cont.length, 1), 1).toFloatArray();
            double sum = 0;
            for (float p : picked) {
                sum += p;
            }
            return sum;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
