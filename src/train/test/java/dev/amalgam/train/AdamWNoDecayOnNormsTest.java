package dev.amalgam.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two parameters, loss (w·x + b − y)² with x = 2, y = 1: w is a 1×1 matrix (decays), b a 1-D bias
 * (no decay, learning-rate multiplier 2). Compared with hand-worked numbers for the first update and
 * with a plain-double AdamW (torch.optim.AdamW's algorithm) for the next ones.
 */
class AdamWNoDecayOnNormsTest {
    private static final double LR = 0.1;
    private static final double WD = 0.01;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void firstUpdateMatchesHandComputedStep() {
        double[][] wb = run(1);
        // grads at w = 0.5, b = 0.25: r = 0.25, dw = 2·r·x = 1, db = 2·r = 0.5
        // w: decay 0.5·(1 − 0.1·0.01) = 0.4995; m̂ = 1, v̂ = 1 → step 0.1/(1 + 1e-8)
        assertEquals(0.4995 - 0.1 / (1 + 1e-8), wb[0][0], 1e-7);
        // b: no decay; m̂ = 0.5, v̂ = 0.25 → step 0.2 · 0.5/(0.5 + 1e-8)
        assertEquals(0.25 - 0.2 * 0.5 / (0.5 + 1e-8), wb[1][0], 1e-7);
        assertEquals(0.0, wb[2][0], 0.0, "w's gradient is zeroed after the update");
        assertEquals(0.0, wb[2][1], 0.0, "b's gradient is zeroed after the update");
    }

    @Test
    void fiveUpdatesMatchPlainDoubleAdamW() {
        double w = 0.5;
        double b = 0.25;
        double mw = 0, vw = 0, mb = 0, vb = 0;
        for (int t = 1; t <= 5; t++) {
            double r = w * 2 + b - 1;
            double gw = 2 * r * 2;
            double gb = 2 * r;
            double c1 = 1 - Math.pow(B1, t);
            double c2 = 1 - Math.pow(B2, t);
            w *= 1 - LR * WD;
            mw = B1 * mw + (1 - B1) * gw;
            vw = B2 * vw + (1 - B2) * gw * gw;
            w -= LR * (mw / c1) / (Math.sqrt(vw / c2) + EPS);
            double lrB = 2 * LR;
            mb = B1 * mb + (1 - B1) * gb;
            vb = B2 * vb + (1 - B2) * gb * gb;
            b -= lrB * (mb / c1) / (Math.sqrt(vb / c2) + EPS);
        }
        double[][] got = run(5);
        assertEquals(w, got[0][0], 2e-6);
        assertEquals(b, got[1][0], 2e-6);
    }

    /** Returns {w, b, {grad w, grad b after the last update}}. */
    private static double[][] run(int steps) {
        Engine.getInstance();
        try (NDManager m = NDManager.newBaseManager();
             AdamWNoDecayOnNorms opt = AdamWNoDecayOnNorms.builder()
                     .schedule(Tracker.fixed((float) LR))
                     .weightDecay((float) WD)
                     .betas((float) B1, (float) B2)
                     .epsilon((float) EPS)
                     .group("w", new AdamWNoDecayOnNorms.Group(1f, true))
                     .group("b", new AdamWNoDecayOnNorms.Group(2f, false))
                     .build()) {
            NDArray w = m.create(new float[][] {{0.5f}});
            NDArray b = m.create(new float[] {0.25f});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray x = m.create(new float[][] {{2f}});
            for (int t = 0; t < steps; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = x.matMul(w).add(b).sub(1f).square().sum();
                    gc.backward(loss);
                }
                try (NDArray gw = w.getGradient(); NDArray gb = b.getGradient()) {
                    opt.update("w", w, gw.duplicate());
                    opt.update("b", b, gb.duplicate());
                }
            }
            assertEquals(steps, opt.globalStep());
            float gw = w.getGradient().getFloat();
            float gb = b.getGradient().getFloat();
            return new double[][] {{w.getFloat()}, {b.getFloat()}, {gw, gb}};
        }
    }

    @Test
    void unlistedParametersDecayOnlyWhenMatrices() {
        try (NDManager m = NDManager.newBaseManager();
             AdamWNoDecayOnNorms opt = AdamWNoDecayOnNorms.builder()
                     .schedule(Tracker.fixed(0.1f)).weightDecay(0.5f).build()) {
            // zero gradients: the Adam step is 0/(0 + eps) = 0, only the decay 1 − 0.1·0.5 acts
            NDArray w = m.create(new float[][] {{1f, 2f}});
            NDArray b = m.create(new float[] {3f});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.sum().add(b.sum()).mul(0f));
            }
            try (NDArray gw = w.getGradient(); NDArray gb = b.getGradient()) {
                opt.update("w-id", w, gw.duplicate());
                opt.update("b-id", b, gb.duplicate());
            }
            assertArrayEquals(new float[] {0.95f, 1.9f}, w.toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {3f}, b.toFloatArray(), 0f);
        }
    }
}
