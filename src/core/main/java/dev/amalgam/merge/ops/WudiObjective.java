package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * WUDI's interference objective of one linear layer (docs/methods/wudi.md §Objective), for task
 * vectors τ_t [out, in] stacked as [T, out, in]:
 * L(M) = Σ_t w_t ‖(M − τ_t) τ_tᵀ‖²_F with w_t = 1 / ‖τ_t‖²_F (a task with τ_t = 0 has no term).
 *
 * <p>The optimiser starts at S = Σ_t τ_t and moves by D, M = S + D. The gradient is
 * ∇L(S + D) = 2 (R + D·A) with A = Σ_t w_t τ_tᵀ τ_t [in, in] and R = Σ_t w_t (S − τ_t) τ_tᵀ τ_t [out, in],
 * both formed once: one [out, in] × [in, in] product per step instead of the 2T [out, in] × [in, out]
 * products of differentiating L through autograd. R takes the difference S − τ_t before multiplying,
 * as the loss does, so a gradient that is exactly zero at the start (one task; task vectors on disjoint
 * inputs) stays exactly zero instead of becoming rounding noise that Adam would scale up to steps of lr.
 */
public final class WudiObjective implements AutoCloseable {
    private final NDArray a;
    private final NDArray r;

    private WudiObjective(NDArray a, NDArray r) {
        this.a = a;
        this.r = r;
    }

    /** A and R of the stacked task vectors [T, out, in] around {@code start} = Σ_t τ_t (new arrays). */
    public static WudiObjective of(NDArray stacked, NDArray start) {
        int tasks = (int) stacked.getShape().get(0);
        long out = stacked.getShape().get(1);
        long in = stacked.getShape().get(2);
        NDArray a = stacked.getManager().zeros(new Shape(in, in));
        NDArray r = stacked.getManager().zeros(new Shape(out, in));
        for (int t = 0; t < tasks; t++) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray tau = stacked.get(t);
                // one task's square at a time: squaring the whole stack would hold a second [T, out, in] copy
                float sqNorm = tau.square().sum().getFloat();
                if (sqNorm == 0f) {
                    continue;
                }
                float w = 1f / sqNorm;
                NDArray gram = tau.transpose().matMul(tau).muli(w);
                NDArray diff = start.sub(tau);
                // (S − τ)·(τᵀτ) costs out·in², ((S − τ)·τᵀ)·τ costs 2·out²·in: the second for wide matrices.
                r.addi(out >= in ? diff.matMul(gram) : diff.matMul(tau.transpose()).matMul(tau).muli(w));
                a.addi(gram);
            }
        }
        return new WudiObjective(a, r);
    }

    /** ∇L(S + D) = 2 (R + D·A), a new array. */
    public NDArray gradient(NDArray displacement) {
        return displacement.matMul(a).addi(r).muli(2f);
    }

    @Override
    public void close() {
        a.close();
        r.close();
    }
}
