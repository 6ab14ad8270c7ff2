package dev.amalgam.eval.lm;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.CausalLm;

import java.util.Arrays;

/**
 * log p(continuation | context) as lm-evaluation-harness computes it: trailing whitespace of the context
 * moves to the continuation, the continuation's tokens are those of tokenize(context + continuation)
 * after the context's own tokens, an empty context becomes the EOS token, and a pair longer than the
 * model's positions loses context tokens from the left. An empty continuation has log-likelihood 0.
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
        long max = model.maxSequenceLength();
        if (cont.length >= max) {
            throw new AmalgamException("continuation of " + cont.length + " tokens does not fit the model's " + max
                    + " positions with any context: '" + abbreviate(continuation) + "'");
        }
        if (ctx.length + cont.length > max) {
            ctx = Arrays.copyOfRange(ctx, (int) (ctx.length + cont.length - max), ctx.length);
        }
        return CausalLm.logLikelihood(model, ctx, cont);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
