package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.amalgam.AmalgamException;

/**
 * Transformer building blocks as generic NDArray operations (differentiable, engine-neutral).
 * Every op keeps the activation as the first operand so results live in the caller's manager.
 */
public final class Ops {
    /** The additive mask value Hugging Face uses: the most negative float32. */
    public static final float MASK_VALUE = -Float.MAX_VALUE;

    private Ops() {
    }

    /** {@code x · v}, safe under autograd (see {@link #scalar}). */
    public static NDArray mul(NDArray x, double v) {
        return withScalar(x, v, NDArray::mul);
    }

    /** {@code x / v}, safe under autograd (see {@link #scalar}). */
    public static NDArray div(NDArray x, double v) {
        return withScalar(x, v, NDArray::div);
    }

    /** {@code max(x, v)} element-wise, safe under autograd (see {@link #scalar}). */
    public static NDArray maximum(NDArray x, double v) {
        return withScalar(x, v, NDArray::maximum);
    }

    /** {@code x^v}, safe under autograd (see {@link #scalar}). */
    public static NDArray pow(NDArray x, double v) {
        return withScalar(x, v, NDArray::pow);
    }

    private static NDArray withScalar(NDArray x, double v, java.util.function.BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, v)) {
            return op.apply(x, s);
        }
    }

    /**
     * {@code v} as a 0-dim FLOAT32 array in libtorch's own memory on {@code x}'s device. DJL's
     * {@code mul(Number)}, {@code div(Number)} and the like wrap the number in a Java direct buffer and
     * close it as soon as the op returns, but autograd keeps that operand for the backward pass: a GC
     * in between frees the buffer and backward reads whatever the memory holds then (wrong gradients
     * at random steps; image-zoo checkpoints that differed from build to build, docs/image-suite.md
     * "Reproducible builds"). libtorch reference-counts its own storage, so closing this handle
     * after the op is safe. A FLOAT32 scalar gives the same results as DJL's boxed numbers did: a 0-dim
     * operand never changes the other operand's dtype.
     */
    public static NDArray scalar(NDArray x, double v) {
        return x.getManager().full(new Shape(), (float) v, DataType.FLOAT32);
    }

    /** {@code x · Wᵀ + b} with a PyTorch {@code nn.Linear} weight {@code [out, in]}; {@code b} may be null. */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        LinearInputs.observe(w, x);
        return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow();
    }

    /** {@code x · W + b} with a Hugging Face {@code Conv1D} weight {@code [in, out]} (GPT-2); {@code b} may be null. */
    public static NDArray conv1d(NDArray x, NDArray w, NDArray b) {
        LinearInputs.observeInOut(w, x);
        NDArray y = x.matMul(w);
        return b == null ? y : y.add(b);
    }

    /** Moves an array derived from a weight (a reshape, a slice) into the activations' manager. */
    public static NDArray local(NDArray derived, NDManager m) {
        derived.attach(m);
        return derived;
    }

    /** Embedding lookup; the result lives in the manager of {@code ids}. */
    public static NDArray embed(NDArray table, NDArray ids) {
        NDArray e = table.get(ids.toType(DataType.INT64, false));
        e.attach(ids.getManager());
        return e;
    }

    /**
     * LayerNorm over the last axis through libtorch's fused kernel (differentiable); about 10x faster
     * than the same maths as nine element-wise ops at ViT-B/32 batch 32 (docs/performance.md, forward).
     */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new ai.djl.ndarray.types.Shape(x.getShape().tail()), gamma, beta,
                (float) eps).singletonOrThrow();
    }

    public static NDArray rmsNorm(NDArray x, NDArray gamma, double eps) {
        NDArray var = x.square().mean(new int[] {-1}, true);
        return x.div(var.add(eps).sqrt()).mul(gamma);
    }

    /** Hugging Face {@code hidden_act} / {@code activation_function} names. */
    public static NDArray activation(String name, NDArray x) {
        switch (name) {
            case "quick_gelu":
                return x.mul(mul(x, 1.702).getNDArrayInternal().sigmoid());
            case "gelu":
                return x.getNDArrayInternal().gelu();
            case "gelu_new": case "gelu_pytorch_tanh": case "gelu_fast":
                return geluTanh(x);
            case "silu": case "swish":
                return x.mul(x.getNDArrayInternal().sigmoid());
            case "relu":
                return maximum(x, 0);
            default:
                throw new AmalgamException("config.json: unsupported activation '" + name + "'");
        }
    }

    /** GPT-2's {@code gelu_new}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    public static NDArray geluTanh(NDArray x) {
        NDArray inner = mul(x.add(mul(pow(x, 3), 0.044715)), Math.sqrt(2.0 / Math.PI)).tanh();
        return mul(x, 0.5).mul(inner.add(1));
    }

    /** [B, T, H·D] → [B, H, T, D]. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /** [B, H, T, D] → [B, T, H·D]. */
    public static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /** [B, KV, S, D] → [B, KV·rep, S, D], each key/value head serving {@code rep} consecutive query heads. */
    public static NDArray repeatKv(NDArray x, int rep) {
        if (rep == 1) {
            return x;
        }
        Shape s = x.getShape();
        return x.expandDims(2).broadcast(new Shape(s.get(0), s.get(1), rep, s.get(2), s.get(3)))
                .reshape(s.get(0), s.get(1) * rep, s.get(2), s.get(3));
    }

    /**
     * Additive causal mask [1, 1, T, S] for queries at positions {@code offset..offset+T-1} over keys
     * {@code 0..S-1}.
     */
    public static NDArray causalMask(NDManager m, long t, long s, long offset) {
        NDArray q = m.arange(offset, offset + t, 1, DataType.INT64).reshape(t, 1);
        NDArray k = m.arange(0, s, 1, DataType.INT64).reshape(1, s);
        return k.gt(q).toType(DataType.FLOAT32, false).mul(MASK_VALUE).reshape(1, 1, t, s);
    }

    /** Additive padding mask [B, 1, 1, S] from a 0/1 attention mask [B, S]. */
    public static NDArray paddingMask(NDArray attentionMask) {
        NDArray keep = attentionMask.toType(DataType.FLOAT32, false);
        Shape s = keep.getShape();
        return keep.neg().add(1f).mul(MASK_VALUE).reshape(s.get(0), 1, 1, s.get(1));
    }

    /** softmax(q·kᵀ·scale + mask)·v over [B, H, T, D] inputs; mask may be null. */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask, double scale) {
        NDArray scores = mul(q.matMul(k.transpose(0, 1, 3, 2)), scale);
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(v);
    }

    /** Concatenates along the last axis, keeping the result in the first array's manager. */
    public static NDArray concatLast(NDArray a, NDArray b) {
        return NDArrays.concat(new ai.djl.ndarray.NDList(a, b), -1);
    }
}
