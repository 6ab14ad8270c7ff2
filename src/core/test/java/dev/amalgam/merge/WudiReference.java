package dev.amalgam.merge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-side transcription of FusionBench's {@code wudi_merging} (tanganke/fusion_bench,
 * fusion_bench/method/wudi/wudi.py @ e41de5a29bba021a08cdcdd71d7d6de9a2bc4842, unchanged at 54c9e8c):
 * per tensor the merged vector starts at the sum of the task vectors; a 2-D tensor whose key is not
 * excluded takes iter_num steps of torch.optim.Adam(lr, weight_decay=0) on
 * loss = sum(square((new − tvs) @ tvsᵀ) / ‖tv‖²), the gradient from autograd of that literal loss
 * (not the closed form the method uses); any other tensor gets the sum divided by the number of tasks.
 * Adam is written in its textbook form (m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), p −= lr·m̂/(√v̂ + ε)),
 * which is the algorithm torch.optim.Adam documents.
 */
final class WudiReference {
    private WudiReference() {
    }

    /** θ_0 + merged update for every tensor; {@code excluded} holds exact key names, as FusionBench's list. */
    static Map<String, float[]> merge(Map<String, InMemoryMergeDriver.Values> tensors, int iterNum, double lr, Set<String> excluded) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            tensors.forEach((name, t) -> {
                NDArray tvs = stack(m, t);
                NDArray update = t.shape().length == 2 && !excluded.contains(name)
                        ? optimise(tvs, iterNum, lr) : tvs.sum(new int[]{0}).div(t.taskVectors().size());
                out.put(name, m.create(t.base(), new Shape(t.shape())).add(update).toFloatArray());
            });
        }
        return out;
    }

    static NDArray stack(NDManager m, InMemoryMergeDriver.Values t) {
        List<float[]> tv = t.taskVectors();
        long[] dims = new long[t.shape().length + 1];
        dims[0] = tv.size();
        System.arraycopy(t.shape(), 0, dims, 1, t.shape().length);
        float[] flat = new float[tv.size() * tv.get(0).length];
        for (int i = 0; i < tv.size(); i++) {
            System.arraycopy(tv.get(i), 0, flat, i * tv.get(i).length, tv.get(i).length);
        }
        return m.create(flat, new Shape(dims));
    }

    /** The loss of the official code at {@code merged}, and its autograd gradient. */
    static NDArray[] lossAndGradient(NDArray tvs, NDArray merged) {
        int tasks = (int) tvs.getShape().get(0);
        NDArray l2Norms = tvs.reshape(tasks, -1).norm(new int[]{1}).square();
        NDArray leaf = merged.duplicate();
        leaf.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray disturbing = leaf.expandDims(0).sub(tvs);
            NDArray product = disturbing.matMul(tvs.transpose(0, 2, 1));
            NDArray loss = product.square().div(l2Norms.reshape(tasks, 1, 1)).sum();
            gc.backward(loss);
            return new NDArray[]{loss.duplicate(), leaf.getGradient().duplicate()};
        }
    }

    static NDArray optimise(NDArray tvs, int iterNum, double lr) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        NDArray p = tvs.sum(new int[]{0});
        NDArray m = p.zerosLike();
        NDArray v = p.zerosLike();
        for (int t = 1; t <= iterNum; t++) {
            NDArray g = lossAndGradient(tvs, p)[1];
            m = m.mul(beta1).add(g.mul(1 - beta1));
            v = v.mul(beta2).add(g.mul(g).mul(1 - beta2));
            NDArray mHat = m.div(1 - Math.pow(beta1, t));
            NDArray vHat = v.div(1 - Math.pow(beta2, t));
            p = p.sub(mHat.div(vHat.sqrt().add(eps)).mul(lr));
        }
        return p;
    }
}
