package dev.amalgam.eval.lm;

import java.util.List;

/**
 * Multiple choice by log-likelihood, lm-evaluation-harness style: acc picks the choice with the largest
 * Σ log p(choice | context); acc_norm divides each by the choice's length in characters (an empty choice
 * keeps its log-likelihood, 0). Ties go to the first choice, as numpy's argmax.
 */
public final class MultipleChoice {

    public record Item(String context, List<String> choices, int label) {
    }

    public record Result(double acc, double accNorm, int count) {
    }

    private MultipleChoice() {
    }

    public static Result evaluate(ContinuationScorer scorer, List<Item> items) {
        int hits = 0;
        int hitsNorm = 0;
        for (Item item : items) {
            double[] ll = new double[item.choices().size()];
            double[] norm = new double[ll.length];
            for (int c = 0; c < ll.length; c++) {
                String choice = item.choices().get(c);
                ll[c] = scorer.logLikelihood(item.context(), choice);
                norm[c] = ll[c] / Math.max(1, choice.length());
            }
            hits += argmax(ll) == item.label() ? 1 : 0;
            hitsNorm += argmax(norm) == item.label() ? 1 : 0;
        }
        int n = items.size();
        return new Result(n == 0 ? Double.NaN : (double) hits / n, n == 0 ? Double.NaN : (double) hitsNorm / n, n);
    }

    /** Index of the first maximum. */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
