package dev.amalgam.merge.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.model.HfCausalLmBlock;
import dev.amalgam.model.registry.ModelRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Test world for the data-aware merges on decoder LMs: a tiny random GPT-2 or Llama fixture
 * (src/testdata/fixtures, 2 layers, 32 wide) as θ_0, seeded Gaussian perturbations of it as the
 * fine-tunes, and per task seeded random token sequences of different lengths (so batches are padded).
 */
final class TinyDecoderTasks implements AutoCloseable {
    final NDManager manager = NDManager.newBaseManager();
    final Checkpoint base;
    final HfCausalLmBlock architecture;
    final List<String> tasks;
    final List<InMemoryTensorSource> models = new ArrayList<>();
    final Map<String, List<long[]>> sequences = new LinkedHashMap<>();

    /** @param perturbed which tensors the fine-tunes change (the others equal θ_0) */
    TinyDecoderTasks(Path fixture, List<String> tasks, int examples, double std, Predicate<String> perturbed) {
        base = Checkpoints.open(fixture);
        architecture = (HfCausalLmBlock) ModelRegistry.fromCheckpoint(fixture, manager);
        this.tasks = tasks;
        Random r = new Random(23);
        for (String t : tasks) {
            InMemoryTensorSource s = new InMemoryTensorSource(t);
            for (String n : base.names()) {
                float[] v = TinyClipTasks.values(base, n);
                if (perturbed.test(n)) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] += (float) (std * r.nextGaussian());
                    }
                }
                s.f32(n, base.info(n).shape(), v);
            }
            models.add(s);
            List<long[]> seqs = new ArrayList<>();
            for (int e = 0; e < examples; e++) {
                long[] ids = new long[3 + r.nextInt(8)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = r.nextInt(architecture.vocabSize());
                }
                seqs.add(ids);
            }
            sequences.put(t, seqs);
        }
    }

    /** Examples {@code from} … {@code to} right-padded as {@link DecoderTextExamples} pads them: [ids, mask]. */
    static NDList padded(List<long[]> seqs, int from, int to, NDManager m) {
        int longest = 1;
        for (int i = from; i < to; i++) {
            longest = Math.max(longest, seqs.get(i).length);
        }
        long[] ids = new long[(to - from) * longest];
        long[] mask = new long[ids.length];
        for (int i = from; i < to; i++) {
            long[] s = seqs.get(i);
            System.arraycopy(s, 0, ids, (i - from) * longest, s.length);
            Arrays.fill(mask, (i - from) * longest, (i - from) * longest + s.length, 1L);
        }
        Shape shape = new Shape(to - from, longest);
        return new NDList(m.create(ids, shape), m.create(mask, shape));
    }

    MergeData data() {
        Map<String, TaskExamples> ex = new LinkedHashMap<>();
        for (String t : tasks) {
            List<long[]> seqs = sequences.get(t);
            ex.put(t, new TaskExamples() {
                public int size() {
                    return seqs.size();
                }

                public NDList batch(int from, int to, NDManager m) {
                    return padded(seqs, from, to, m);
                }
            });
        }
        return new MergeData(new CausalLmDataModel(architecture), ex, "test token sequences");
    }

    MergeInputs inputs() {
        return new MergeInputs(base, new ArrayList<>(models), tasks);
    }

    @Override
    public void close() {
        base.close();
        architecture.close();
        manager.close();
    }
}
