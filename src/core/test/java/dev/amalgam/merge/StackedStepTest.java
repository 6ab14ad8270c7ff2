package dev.amalgam.merge;

import ai.djl.Device;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.amalgam.merge.job.MergeMethods;

/**
 * The streaming executor hands methods a step whose task vectors are one stacked [T, ...] array read
 * straight from the checkpoints; the golden tests drive methods with steps built from a list of
 * separate task vectors. Both must give bit-identical merges, so the golden tests cover the executor
 * path. Inputs are made so that both sides see the same τ_t = fl(θ_t − θ_0).
 */
class StackedStepTest {
    private static final List<MethodParams> METHODS = List.of(
            MethodParams.of("task_arithmetic", "weights", List.of(1.0, -0.5, 2.0)),
            MethodParams.of("weight_average"),
            MethodParams.of("weight_average", "weights", List.of(1.0, 2.0, 3.0), "normalize", false),
            MethodParams.of("model_stock"),
            MethodParams.of("model_stock", "average", "angle", "filter_wise", true),
            MethodParams.of("ties", "scope", "global"),
            MethodParams.of("ties", "scope", "tensor", "merge", "dis-mean", "weights", List.of(1.0, 0.5, 2.0)),
            MethodParams.of("dare", "seed", 7),
            MethodParams.of("dare", "rescale", "l1", "seed", 3),
            MethodParams.of("dare_ties", "seed", 5, "combine", "ties"),
            MethodParams.of("breadcrumbs", "variant", "rows", "beta", 0.4, "gamma", 0.2),
            MethodParams.of("breadcrumbs", "variant", "tensor", "density", 0.5, "gamma", 0.1),
            MethodParams.of("breadcrumbs_ties", "beta", 0.5, "gamma", 0.2),
            MethodParams.of("consensus"),
            MethodParams.of("consensus", "mtl", "ties", "k", 1),
            MethodParams.of("tall_masks"),
            MethodParams.of("emr"));

    /** The same tensors with τ_t replaced by fl(fl(θ_0 + τ_t) − θ_0), what the executor computes. */
    private static List<Tensor> roundTripped(List<Tensor> tensors) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : tensors) {
            List<float[]> tvs = new ArrayList<>();
            for (float[] tv : x.tasks()) {
                float[] v = new float[tv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (x.base()[i] + tv[i]) - x.base()[i];
                }
                tvs.add(v);
            }
            out.add(new Tensor(x.name(), x.shape(), x.base(), tvs));
        }
        return out;
    }

    private static MergeInputs inputs(List<Tensor> tensors) {
        MemorySource base = new MemorySource("base");
        int tasks = tensors.get(0).tasks().size();
        List<dev.amalgam.io.TensorSource> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            MemorySource m = new MemorySource("task" + t);
            for (Tensor x : tensors) {
                float[] theta = new float[x.size()];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = x.base()[i] + x.tasks().get(t)[i];
                }
                m.f32(x.name(), x.shape(), theta);
            }
            models.add(m);
            names.add("task" + t);
        }
        for (Tensor x : tensors) {
            base.f32(x.name(), x.shape(), x.base());
        }
        return new MergeInputs(base, models, names);
    }

    @Test
    void executorStepsMergeLikeListSteps() {
        List<Tensor> data = List.of(InMemoryMergeDriver.random("b.weight", new long[]{6, 9}, 3, 11, 0.1),
                InMemoryMergeDriver.random("a.bias", new long[]{9}, 3, 12, 0.1),
                InMemoryMergeDriver.random("c.scale", new long[]{}, 3, 13, 0.1));
        List<Tensor> expectedInputs = roundTripped(data);
        for (MethodParams p : METHODS) {
            MergeMethod viaList = MergeMethods.create(p);
            MergeMethod viaExecutor = MergeMethods.create(p);
            CollectingSink sink = new CollectingSink();
            new StreamingExecutor(Device.cpu(), n -> n, true, StreamingExecutor.Progress.NONE)
                    .run(viaExecutor, inputs(data), sink);
            String what = viaExecutor.describe();
            if (viaList instanceof TaskModulated tm) {
                Map<String, InMemoryMergeDriver.TaskModels> expected = InMemoryMergeDriver.taskModels(tm, expectedInputs);
                for (Tensor x : data) {
                    assertArrayEquals(expected.get(x.name()).shared(), sink.shared.get(x.name()), what + " " + x.name());
                    for (int t = 0; t < 3; t++) {
                        assertArrayEquals(expected.get(x.name()).masks()[t], sink.masks.get(x.name()).get(t), what + " " + x.name());
                    }
                }
            } else {
                Map<String, float[]> expected = InMemoryMergeDriver.merge(viaList, expectedInputs);
                assertEquals(expected.keySet(), sink.merged.keySet(), what);
                for (Tensor x : data) {
                    assertArrayEquals(expected.get(x.name()), sink.merged.get(x.name()), what + " " + x.name());
                }
            }
        }
    }
}
