package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Adam on one tensor, updated in place, with PyTorch's {@code torch.optim.Adam} arithmetic for
 * weight_decay 0 and no amsgrad (docs/methods/wudi.md §Optimiser): m ← β1·m + (1 − β1)·g,
 * v ← β2·v + (1 − β2)·g², p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
 */
public final class Adam implements AutoCloseable {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private final NDArray param;
    private final NDArray m;
    private final NDArray v;
    private final double lr;
    private int step;

    /** Optimises {@code param} in place; the moment buffers live on its manager. */
    public Adam(NDArray param, double lr) {
        this.param = param;
        this.lr = lr;
        this.m = param.zerosLike();
        this.v = param.zerosLike();
    }

    /** One update with gradient {@code g} (not kept; modified). */
    public void step(NDArray g) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2 = 1 - Math.pow(BETA2, step);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
            m.muli((float) BETA1).addi(g.muli((float) (1 - BETA1)));
            NDArray denom = v.sqrt().divi((float) Math.sqrt(bc2)).addi((float) EPS);
            param.subi(m.div(denom).muli((float) (lr / bc1)));
        }
    }

    @Override
    public void close() {
        m.close();
        v.close();
    }
}
