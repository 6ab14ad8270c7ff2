package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.LinearInputs;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sums XᵀX and the row count of X over every call of each linear layer whose weight name passes the
 * filter, X being the layer input flattened to [rows, in] (every token of every example counts, as
 * FusionBench's RegMean hook does). {@link #grams} gives the means XᵀX / rows (docs/methods/data-aware.md §1).
 * Consecutive linears fed the same input (q, k, v) share one product. A batch may carry a row mask
 * (a decoder's right padding): masked rows are zeroed and not counted. Conv1D weights ([in, out],
 * GPT-2) are remembered so the merge solves them without the transpose.
 */
final class GramAccumulator implements LinearInputs.Observer {
    private final TaskWeights weights;
    private final Predicate<String> keep;
    private final NDManager manager;
    private final Map<String, NDArray> sums = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final Set<String> inOut = new HashSet<>();
    private NDArray lastInput;
    private NDArray lastProduct;
    private long lastRows;
    private NDArray rowMask;
    private long maskedRows;

    GramAccumulator(TaskWeights weights, Predicate<String> keep, NDManager manager) {
        this.weights = weights;
        this.keep = keep;
        this.manager = manager;
    }

    /** The next batch's row mask [rows] of 0/1 floats (from {@link DataModel#rowMask}), or null: every row counts. */
    void startBatch(NDArray mask) {
        rowMask = mask == null ? null : mask.reshape(-1, 1);
        maskedRows = mask == null ? -1 : (long) mask.sum().getFloat();
    }

    @Override
    public void observe(NDArray weight, NDArray input) {
        add(weight, input, false);
    }

    @Override
    public void observeInOut(NDArray weight, NDArray input) {
        add(weight, input, true);
    }

    private void add(NDArray weight, NDArray input, boolean transposed) {
        String name = weights.nameOf(weight);
        if (name == null || weight.getShape().dimension() != 2 || !keep.test(name)) {
            return;
        }
        if (transposed) {
            inOut.add(name);
        }
        long in = input.getShape().get(input.getShape().dimension() - 1);
        long n = input.getShape().size() / in;
        if (input != lastInput) {
            try (NDArray x = input.reshape(n, in)) {
                if (rowMask == null) {
                    lastProduct = x.transpose().matMul(x);
                    lastRows = n;
                } else {
                    try (NDArray kept = x.mul(rowMask)) {
                        lastProduct = kept.transpose().matMul(kept);
                    }
                    lastRows = maskedRows;
                }
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
        rows.merge(name, lastRows, Long::sum);
    }

    /** Forgets the shared product and the mask (call between batches: the batch's arrays are closed). */
    void endBatch() {
        lastInput = null;
        lastProduct = null;
        rowMask = null;
    }

    /** Mean Gram matrix per weight name (the sums, divided in place). */
    Map<String, NDArray> grams() {
        sums.forEach((name, s) -> s.divi((float) rows.get(name).longValue()));
        return sums;
    }

    /** The names of the Conv1D weights ([in, out]) among {@link #grams}. */
    Set<String> inOutWeights() {
        return inOut;
    }
}
