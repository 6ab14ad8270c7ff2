package dev.amalgam.eval.lm;

import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.CausalLm;

import java.util.List;

/**
 * Exact match of short greedy generations: up to {@code maxNewTokens} tokens (stopping at EOS), the
 * decoded text cut at the first newline and stripped, compared with the stripped answer.
 */
public final class ExactMatch {

    public record Item(String prompt, String answer) {
    }

    public record Result(double exactMatch, int count) {
    }

    private ExactMatch() {
    }

    public static Result evaluate(CausalLanguageModel model, LmTokenizer tok, List<Item> items, int maxNewTokens) {
        int hits = 0;
        for (Item item : items) {
            hits += answer(model, tok, item.prompt(), maxNewTokens).equals(item.answer().strip()) ? 1 : 0;
        }
        int n = items.size();
        return new Result(n == 0 ? Double.NaN : (double) hits / n, n);
    }

    /** The generated answer: greedy continuation, cut at the first newline, stripped. */
    public static String answer(CausalLanguageModel model, LmTokenizer tok, String prompt, int maxNewTokens) {
        long[] ids = tok.encode(prompt);
        if (ids.length == 0) {
            throw new AmalgamException("prompt encodes to no tokens: '" + prompt + "'");
        }
        if (ids.length + (long) maxNewTokens > model.maxSequenceLength()) {
            throw new AmalgamException("prompt (" + ids.length + " tokens) + " + maxNewTokens
                    + " new tokens exceed the model's " + model.maxSequenceLength() + " positions");
        }
        return cut(tok.decode(CausalLm.greedy(model, ids, maxNewTokens, model.eosTokenId(), true)));
    }

    static String cut(String generated) {
        int nl = generated.indexOf('\n');
        return (nl < 0 ? generated : generated.substring(0, nl)).strip();
    }
}
