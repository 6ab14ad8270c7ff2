package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A minimal in-memory executor for the SVD method tests: statistic passes, then the merge pass in
 * sorted name order with one NDManager per step, honouring {@link JointTensors} groups as the
 * interface documents. Named apart from the general InMemoryMergeDriver to avoid a file clash.
 */
final class SvdTestDriver {

    /** One tensor: shape, θ_0 and the task vectors (row-major float arrays). */
    record Tensor(long[] shape, float[] base, List<float[]> taskVectors) {
    }

    private SvdTestDriver() {
    }

    static Map<String, float[]> run(MergeMethod method, Map<String, Tensor> tensors) {
        Set<String> names = new TreeSet<>(tensors.keySet());
        int tasks = tensors.values().iterator().next().taskVectors().size();
        List<String> taskNames = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            taskNames.add("task" + t);
        }
        try (NDManager root = NDManager.newBaseManager()) {
            for (StatisticPass pass : method.statisticPasses()) {
                for (String n : names) {
                    try (NDManager m = root.newSubManager()) {
                        pass.observe(step(n, tensors.get(n), m, taskNames));
                    }
                }
                pass.end();
            }
            Map<String, List<String>> groupOf = new HashMap<>();
            if (method instanceof JointTensors joint) {
                for (List<String> g : joint.jointGroups(names)) {
                    for (String n : g) {
                        groupOf.put(n, g);
                    }
                }
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            Set<String> done = new HashSet<>();
            for (String n : names) {
                if (done.contains(n)) {
                    continue;
                }
                List<String> group = groupOf.get(n);
                if (group == null) {
                    try (NDManager m = root.newSubManager()) {
                        TensorStep s = step(n, tensors.get(n), m, taskNames);
                        out.put(n, read(method.merge(s), s));
                    }
                    done.add(n);
                    continue;
                }
                List<NDManager> managers = new ArrayList<>();
                try {
                    List<TensorStep> steps = new ArrayList<>();
                    for (String g : group) {
                        NDManager m = root.newSubManager();
                        managers.add(m);
                        steps.add(step(g, tensors.get(g), m, taskNames));
                    }
                    NDArray[] merged = ((JointTensors) method).mergeJoint(steps);
                    assertEquals(group.size(), merged.length, "one merged tensor per grouped step");
                    for (int i = 0; i < group.size(); i++) {
                        assertEquals(steps.get(i).manager(), merged[i].getManager(), "result attached to its step's manager");
                        out.put(group.get(i), read(merged[i], steps.get(i)));
                    }
                } finally {
                    managers.forEach(NDManager::close);
                }
                done.addAll(group);
            }
            return out;
        }
    }

    private static TensorStep step(String name, Tensor t, NDManager m, List<String> taskNames) {
        Shape shape = new Shape(t.shape());
        List<NDArray> tvs = new ArrayList<>();
        for (float[] tv : t.taskVectors()) {
            tvs.add(m.create(tv, shape));
        }
        return new TensorStep(new TensorInfo(name, DType.F32, t.shape()), "layer", m, m.create(t.base(), shape), tvs, taskNames);
    }

    private static float[] read(NDArray merged, TensorStep s) {
        assertEquals(DataType.FLOAT32, merged.getDataType(), s.name());
        assertEquals(new Shape(s.info().shape()), merged.getShape(), s.name());
        return merged.toFloatArray();
    }
}
