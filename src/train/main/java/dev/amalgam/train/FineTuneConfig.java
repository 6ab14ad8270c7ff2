package dev.amalgam.train;

import dev.amalgam.AmalgamException;

/**
 * Hyper-parameters of one fine-tuning run. Defaults follow common BERT-size recipes: lr 2e-5,
 * AdamW (0.9, 0.999, 1e-8) with weight decay 0.01 on matrices only, 10 % linear warm-up then cosine
 * decay to 0, global gradient-norm clipping at 1.0, batch 16, 3 epochs, early stop after 3
 * evaluations without a better validation accuracy.
 *
 * @param learningRate peak learning rate of the backbone
 * @param headLrMultiplier the head's learning rate is {@code learningRate * headLrMultiplier}
 * @param weightDecay decoupled weight decay (not applied to 1-D parameters)
 * @param warmupRatio fraction of all updates spent warming up
 * @param epochs passes over the training set (ignored when {@code maxSteps > 0})
 * @param maxSteps total updates when positive
 * @param batchSize examples per update
 * @param seed seeds DJL's engine (initialisation, dropout) and the per-epoch shuffling
 * @param patience evaluations without improvement before stopping; 0 never stops early
 * @param evalEvery evaluate every this many updates; 0 evaluates at the end of each epoch
 * @param maxGradNorm clip the global gradient norm to this; 0 or less disables clipping
 */
public record FineTuneConfig(double learningRate, double headLrMultiplier, double weightDecay, double warmupRatio,
                             int epochs, int maxSteps, int batchSize, long seed, int patience, int evalEvery,
                             double maxGradNorm, double beta1, double beta2, double epsilon) {

    public FineTuneConfig {
        check(learningRate > 0, "learning rate must be positive: " + learningRate);
        check(headLrMultiplier > 0, "head learning-rate multiplier must be positive: " + headLrMultiplier);
        check(weightDecay >= 0, "weight decay must be >= 0: " + weightDecay);
        check(warmupRatio >= 0 && warmupRatio <= 1, "warm-up ratio must lie in [0, 1]: " + warmupRatio);
        check(epochs >= 1 || maxSteps > 0, "need epochs >= 1 or max steps > 0");
        check(batchSize >= 1, "batch size must be positive: " + batchSize);
        check(patience >= 0, "patience must be >= 0: " + patience);
        check(evalEvery >= 0, "eval-every must be >= 0: " + evalEvery);
        check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "AdamW betas must lie in [0, 1)");
        check(epsilon > 0, "AdamW epsilon must be positive: " + epsilon);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AmalgamException(message);
        }
    }

    public static FineTuneConfig defaults() {
        return new FineTuneConfig(2e-5, 1.0, 0.01, 0.1, 3, 0, 16, 42, 3, 0, 1.0, 0.9, 0.999, 1e-8);
    }

    /** Number of updates the schedule spans. */
    public int totalSteps(int batchesPerEpoch) {
        return maxSteps > 0 ? maxSteps : Math.multiplyExact(epochs, batchesPerEpoch);
    }

    public FineTuneConfig withLearningRate(double v) {
        return new FineTuneConfig(v, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps, batchSize, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withHeadLrMultiplier(double v) {
        return new FineTuneConfig(learningRate, v, weightDecay, warmupRatio, epochs, maxSteps, batchSize, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withWeightDecay(double v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, v, warmupRatio, epochs, maxSteps, batchSize, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withWarmupRatio(double v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, v, epochs, maxSteps, batchSize, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withEpochs(int v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, v, maxSteps, batchSize,
                seed, patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withMaxSteps(int v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, v, batchSize, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withBatchSize(int v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps, v, seed,
                patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withSeed(long v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, v, patience, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withPatience(int v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, seed, v, evalEvery, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withEvalEvery(int v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, seed, patience, v, maxGradNorm, beta1, beta2, epsilon);
    }

    public FineTuneConfig withMaxGradNorm(double v) {
        return new FineTuneConfig(learningRate, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, seed, patience, evalEvery, v, beta1, beta2, epsilon);
    }
}
