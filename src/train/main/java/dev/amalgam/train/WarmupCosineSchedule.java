package dev.amalgam.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate that rises linearly from 0 to {@code peak} over {@code warmupSteps} updates, then
 * follows a half cosine down to 0 at update {@code totalSteps}.
 *
 * <p>Updates are counted from 1 (DJL's convention): update {@code t <= W} gets {@code peak * t / W};
 * update {@code t > W} gets {@code peak * (1 + cos(pi * (t - W) / (T - W))) / 2}; beyond {@code T}
 * it stays 0. This is the curve of transformers' {@code get_cosine_schedule_with_warmup} evaluated at
 * {@code t} instead of {@code t - 1}, so the first update is not spent at learning rate 0.
 */
public final class WarmupCosineSchedule implements Tracker {
    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;

    public WarmupCosineSchedule(float peak, int warmupSteps, int totalSteps) {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps || !(peak >= 0)) {
            throw new IllegalArgumentException("bad schedule: peak " + peak + ", warm-up " + warmupSteps
                    + ", total " + totalSteps);
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    /** Warm-up length {@code ceil(ratio * total)}, as transformers' {@code warmup_ratio} computes it. */
    public static int warmupSteps(double ratio, int totalSteps) {
        return (int) Math.min(totalSteps, Math.ceil(ratio * totalSteps));
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) value(numUpdate);
    }

    /** The rate for update {@code t} (1-based) in double precision. */
    public double value(int t) {
        if (t <= 0) {
            return 0;
        }
        if (t <= warmupSteps) {
            return (double) peak * t / warmupSteps;
        }
        if (t >= totalSteps) {
            return 0;
        }
        double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    public int totalSteps() {
        return totalSteps;
    }
}
