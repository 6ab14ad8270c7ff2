package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.amalgam.AmalgamException;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Small pieces shared by the per-matrix methods (CART, TSV-M, Iso-C, Iso-CTS, WUDI). */
final class SvdMethodSupport {
    private SvdMethodSupport() {
    }

    /** A 2-D tensor not excluded by the regex (find); the rest are merged by the mean of τ_t. */
    static boolean isMatrix(TensorStep step, Pattern exclude) {
        return step.info().shape().length == 2 && (exclude == null || !exclude.matcher(step.name()).find());
    }

    /**
     * θ_0 + α·Δ with Δ = {@code matrixDelta} for a 2-D tensor not excluded, else the mean of the task
     * vectors; every intermediate is closed on return.
     */
    static NDArray mergeDelta(TensorStep step, Pattern exclude, double alpha, Function<TensorStep, NDArray> matrixDelta) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray delta = isMatrix(step, exclude) ? matrixDelta.apply(step) : mean(step.taskVectors());
            result = step.base().add(delta.muli(alpha));
            NDScope.unregister(result);
        }
        return result;
    }

    /** The {@code exclude_keys} regex, or null when empty. */
    static Pattern excludePattern(String method, String regex) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new AmalgamException(method + ": parameter 'exclude_keys' is not a valid regex: " + e.getDescription());
        }
    }

    /** The {@code exclude_keys} regex as {@code describe()} shows it. */
    static String excludeLabel(Pattern exclude) {
        return exclude == null ? "none" : exclude.pattern();
    }

    /** Elementwise mean of the arrays (a new array on the first one's manager). */
    static NDArray mean(List<NDArray> arrays) {
        NDArray sum = arrays.get(0).duplicate();
        for (int i = 1; i < arrays.size(); i++) {
            sum.addi(arrays.get(i));
        }
        return sum.divi(arrays.size());
    }
}
