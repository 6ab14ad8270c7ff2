package dev.amalgam.merge.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.InMemorySink;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.io.ParameterBlocks;
import dev.amalgam.tensor.TensorBridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Test world for the data-aware merges: the tiny CLIP fixture (vision 32 wide, 2 layers, 32×32
 * images, patch 8) as θ_0, seeded Gaussian perturbations of it as the fine-tunes, seeded random
 * images per task, and random unit zero-shot heads (3 classes, scale 10).
 */
final class TinyClipTasks implements AutoCloseable {
    static final Path FIXTURE = Path.of("src/testdata/fixtures/clip/quickgelu");
    static final int SIDE = 32;

    final NDManager manager = NDManager.newBaseManager();
    final Checkpoint base = Checkpoints.open(FIXTURE);
    final ClipModel architecture = (ClipModel) ModelRegistry.fromCheckpoint(FIXTURE, manager);
    final List<String> tasks;
    final List<InMemoryTensorSource> models = new ArrayList<>();
    final Map<String, float[]> pixels = new LinkedHashMap<>();
    final Map<String, ZeroShotHead> heads = new LinkedHashMap<>();
    final int examples;

    /** @param perturbed which tensors the fine-tunes change (the others equal θ_0) */
    TinyClipTasks(List<String> tasks, int examples, double std, Predicate<String> perturbed) {
        this.tasks = tasks;
        this.examples = examples;
        Random r = new Random(11);
        for (String t : tasks) {
            InMemoryTensorSource s = new InMemoryTensorSource(t);
            for (String n : base.names()) {
                float[] v = values(base, n);
                if (perturbed.test(n)) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] += (float) (std * r.nextGaussian());
                    }
                }
                s.f32(n, base.info(n).shape(), v);
            }
            models.add(s);
            float[] px = new float[examples * 3 * SIDE * SIDE];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextGaussian();
            }
            pixels.put(t, px);
            float[][] w = new float[3][24];
            for (float[] row : w) {
                double norm = 0;
                for (int d = 0; d < row.length; d++) {
                    row[d] = (float) r.nextGaussian();
                    norm += row[d] * row[d];
                }
                for (int d = 0; d < row.length; d++) {
                    row[d] /= (float) Math.sqrt(norm);
                }
            }
            heads.put(t, new ZeroShotHead(w, 10f));
        }
    }

    /** θ_0 as an in-memory source. */
    InMemoryTensorSource base0() {
        InMemoryTensorSource s = new InMemoryTensorSource("base");
        for (String n : base.names()) {
            s.f32(n, base.info(n).shape(), values(base, n));
        }
        return s;
    }

    static float[] values(TensorSource src, String name) {
        try (NDManager m = NDManager.newBaseManager(); NDArray a = TensorBridge.toF32(m, src, name)) {
            return a.toFloatArray();
        }
    }

    MergeData data() {
        Map<String, TaskExamples> ex = new LinkedHashMap<>();
        for (String t : tasks) {
            float[] px = pixels.get(t);
            ex.put(t, new TaskExamples() {
                public int size() {
                    return examples;
                }

                public ai.djl.ndarray.NDList batch(int from, int to, NDManager m) {
                    int per = 3 * SIDE * SIDE;
                    return new ai.djl.ndarray.NDList(m.create(java.util.Arrays.copyOfRange(px, from * per, to * per), new Shape(to - from, 3, SIDE, SIDE)));
                }
            });
        }
        return new MergeData(model(), ex, "test images");
    }

    TaskHeadsModel model() {
        return TaskHeadsModel.clip(architecture, heads);
    }

    MergeInputs inputs() {
        return inputs(new ArrayList<>(models));
    }

    MergeInputs inputs(List<? extends TensorSource> fineTunes) {
        return new MergeInputs(base, new ArrayList<>(fineTunes), tasks);
    }

    /** Runs {@code method} through the streaming executor; merged tensors by name. */
    Map<String, float[]> merge(MergeMethod method, MergeInputs in) {
        InMemorySink sink = new InMemorySink();
        new StreamingExecutor(Device.cpu(), ParameterBlocks::groupOf, true, StreamingExecutor.Progress.NONE).run(method, in, sink);
        return sink.merged();
    }

    @Override
    public void close() {
        base.close();
        architecture.close();
        manager.close();
    }
}
