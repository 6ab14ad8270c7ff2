package dev.amalgam.eval.metrics;

/** Mean cross-entropy of logits against integer labels: mean over i of logsumexp(z_i) - z_i[y_i], computed stably. */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    public static double of(float[][] logits, int[] labels) {
        if (logits.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("need one logit row per label, at least one");
        }
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            total += single(logits[i], labels[i]);
        }
        return total / labels.length;
    }

    /** -log softmax(z)[y]. */
    public static double single(float[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - z[y];
    }

    /** Index of the largest logit (first one on ties). */
    public static int argmax(float[] z) {
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            if (z[i] > z[best]) {
                best = i;
            }
        }
        return best;
    }
}
