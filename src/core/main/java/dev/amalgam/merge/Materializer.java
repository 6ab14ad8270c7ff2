package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.tensor.TensorBridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds one task's model from a {@link ModulatedSink} directory:
 * θ_t = θ_0 + scale_t · (mask_t ⊙ shared), streamed tensor by tensor.
 */
public final class Materializer {

    /** A modulated output directory, opened. */
    public record Modulated(Path dir, String method, Path base, List<String> tasks, double[] scales) {
        public int taskIndex(String task) {
            int i = tasks.indexOf(task);
            if (i < 0) {
                throw new AmalgamException(dir + ": no task '" + task + "'; tasks: " + tasks);
            }
            return i;
        }
    }

    private Materializer() {
    }

    public static Modulated open(Path dir) {
        dev.amalgam.io.ModulatedDirectory d = dev.amalgam.io.ModulatedDirectory.read(dir);
        return new Modulated(dir, d.method(), d.base(), d.tasks(), d.scales());
    }

    /** Writes task {@code task}'s model as an HF directory at {@code out}. */
    public static void materialize(Path dir, String task, Path out, DType outDtype, long maxShardSize) {
        Modulated mod = open(dir);
        int t = mod.taskIndex(task);
        try (Checkpoint base = Checkpoints.open(mod.base());
             Checkpoint shared = Checkpoints.open(dir.resolve("shared"));
             Checkpoint mask = Checkpoints.open(dir.resolve("masks").resolve(task))) {
            List<TensorInfo> plan = new ArrayList<>();
            for (String n : base.names()) {
                TensorInfo i = base.info(n);
                plan.add(i.dtype().isFloat() && outDtype != null ? i.withDtype(outDtype) : i);
            }
            Map<String, String> meta = Map.of("amalgam_materialized_task", task, "merge_method", mod.method());
            try (ShardedWriter w = new ShardedWriter(out, plan, maxShardSize, meta, List.of(dir, mod.base()));
                 NDManager root = NDManager.newBaseManager()) {
                for (TensorInfo target : plan) {
                    TensorInfo info = base.info(target.name());
                    if (!info.dtype().isFloat()) {
                        w.write(info.name(), base.bytes(info.name()));
                        continue;
                    }
                    try (NDManager m = root.newSubManager()) {
                        w.write(info.name(), TensorBridge.fromF32(taskTensor(m, base, shared, mask, info, mod.scales()[t]),
                                target.dtype()));
                    }
                }
                base.auxFiles().forEach(w::copyFile);
                // the task's own head, kept aside by the merge (TaskHeads): the task model is then a fine-tune
                Path head = dir.resolve(TaskHeads.DIR).resolve(task);
                for (String n : Checkpoints.HEAD_FILES) {
                    if (Files.isRegularFile(head.resolve(n))) {
                        w.copyFile(head.resolve(n), n);
                    }
                }
                if (base.config() != null) {
                    w.writeFile("config.json", CheckpointSink.prettyJson(base.config()));
                }
                w.commit();
            }
        }
    }

    /** θ_0 + scale · (mask ⊙ shared) for one tensor, F32 on {@code m}. */
    public static NDArray taskTensor(NDManager m, Checkpoint base, Checkpoint shared, Checkpoint mask,
                                     TensorInfo info, double scale) {
        return taskTensor(m, TensorBridge.toF32(m, info, base.bytes(info.name())),
                TensorBridge.toF32(m, shared.info(info.name()), shared.bytes(info.name())), mask.bytes(info.name()), scale);
    }

    /** θ_0 + scale · (mask ⊙ shared) from the base and shared tensors (F32) and the task's packed mask bits. */
    public static NDArray taskTensor(NDManager m, NDArray base, NDArray shared, java.nio.ByteBuffer packedMask, double scale) {
        boolean[] bits = BitMasks.unpack(packedMask, Math.toIntExact(base.size()));
        NDArray mk = m.create(bits).reshape(base.getShape()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return base.add(shared.mul(mk).mul((float) scale));
    }
}
