package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.LinearInputs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Sums XᵀX and the row count of X over every call of each linear layer whose weight name passes the
 * filter, X being the layer input flattened to [rows, in] (every token of every example counts, as
 * FusionBench's RegMean hook does). {@link #grams} gives the means XᵀX / rows (docs/methods/data-aware.md §1).
 * Consecutive linears fed the same input (q, k, v) share one product.
 */
final class GramAccumulator implements LinearInputs.Observer {
    private final TaskWeights weights;
    private final Predicate<String> keep;
    private final NDManager manager;
    private final Map<String, NDArray> sums = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private NDArray lastInput;
    private NDArray lastProduct;

    GramAccumulator(TaskWeights weights, Predicate<String> keep, NDManager manager) {
        this.weights = weights;
        this.keep = keep;
        this.manager = manager;
    }

    @Override
    public void observe(NDArray weight, NDArray input) {
        String name = weights.nameOf(weight);
        if (name == null || weight.getShape().dimension() != 2 || !keep.test(name)) {
            return;
        }
        long in = input.getShape().get(input.getShape().dimension() - 1);
        long n = input.getShape().size() / in;
        if (input != lastInput) {
            try (NDArray x = input.reshape(n, in)) {
                lastProduct = x.transpose().matMul(x);
            }
            lastInput = input;
        }
        NDArray sum = sums.get(name);
        if (sum == null) {
            NDArray copy = lastProduct.duplicate();
            copy.attach(manager);
            sums.put(name, copy);
        } else {
            sum.addi(lastProduct);
        }
        rows.merge(name, n, Long::sum);
    }

    /** Forgets the shared product (call between batches: the batch's arrays are closed). */
    void endBatch() {
        lastInput = null;
        lastProduct = null;
    }

    /** Mean Gram matrix per weight name (the sums, divided in place). */
    Map<String, NDArray> grams() {
        sums.forEach((name, s) -> s.divi((float) rows.get(name).longValue()));
        return sums;
    }
}
