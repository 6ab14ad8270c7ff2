package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import dev.amalgam.tensor.TensorBridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a merge's output in memory for evaluation, so that a sweep cell never writes the merged model to disk and
 * reads it back: merged float tensors in the dtype {@code amalgam merge} would write (the output dtype, else each
 * tensor's input dtype), copied tensors as their bytes. A task-modulated method (EMR, TALL)
 * leaves the shared tensor and one bit mask per task; {@link #task} rebuilds task t's model tensor by tensor on read,
 * θ_t = θ_0 + scale_t · (mask_t ⊙ shared), in the base's dtype, exactly as {@link Materializer} writes it.
 *
 * <p>Memory: one F32 copy of the model's float tensors (plus n/8 bytes per task for modulated methods).
 */
public final class MemorySink implements MergeSink {
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, TensorInfo> inputInfos = new LinkedHashMap<>();
    private DType outDtype;
    private final Map<String, ByteBuffer> tensors = new LinkedHashMap<>();
    private final Map<String, List<ByteBuffer>> masks = new LinkedHashMap<>();
    private List<String> tasks = List.of();
    private double[] scales;
    private boolean committed;

    /** The float dtype merged tensors are kept in (null, the default: each tensor's input dtype). */
    public void outputDtype(DType dtype) {
        this.outDtype = dtype;
    }

    @Override
    public void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs inputs) {
        tasks = inputs.taskNames();
        for (TensorInfo t : plan) {
            inputInfos.put(t.name(), t);
            infos.put(t.name(), t.dtype().isFloat() && outDtype != null ? t.withDtype(outDtype) : t);
        }
    }

    @Override
    public void writeMerged(TensorInfo info, NDArray merged) {
        tensors.put(info.name(), copy(TensorBridge.fromF32Transient(merged, infos.get(info.name()).dtype())));
    }

    @Override
    public void writeCopied(TensorInfo info, ByteBuffer bytes) {
        tensors.put(info.name(), copy(bytes));
    }

    @Override
    public void writeModulation(TensorInfo info, TaskModulated.Modulation m) {
        infos.put(info.name(), inputInfos.get(info.name()).withDtype(DType.F32)); // the shared tensor stays F32
        tensors.put(info.name(), copy(TensorBridge.fromF32Transient(m.shared(), DType.F32)));
        List<ByteBuffer> packed = new ArrayList<>(m.masks().length);
        for (NDArray mask : m.masks()) {
            packed.add(copy(BitMasks.pack(mask)));
        }
        masks.put(info.name(), packed);
    }

    @Override
    public void commit(MergeMethod method) {
        if (method instanceof TaskModulated tm) {
            scales = tm.taskScales();
        }
        committed = true;
    }

    /** Whether the method left per-task modulations (read them with {@link #task}) rather than one model. */
    public boolean modulated() {
        return !masks.isEmpty();
    }

    /** The merged model; for a modulated method, its shared tensors. */
    public TensorSource merged() {
        checkCommitted();
        return new Source("merged model (in memory)", infos::get, tensors::get);
    }

    /** Task {@code task}'s reconstruction over {@code base}, computed per tensor when read. */
    public TensorSource task(String task, TensorSource base) {
        checkCommitted();
        int t = tasks.indexOf(task);
        if (t < 0 || scales == null) {
            throw new AmalgamException("no per-task model for '" + task + "' in this merge; tasks: " + tasks);
        }
        double scale = scales[t];
        return new Source("task " + task + " of the merge (in memory)", inputInfos::get, name -> {
            List<ByteBuffer> m = masks.get(name);
            if (m == null) { // integer/bool tensors, copied from the base
                return tensors.get(name);
            }
            TensorInfo info = infos.get(name);
            try (NDManager mg = NDManager.newBaseManager()) {
                NDArray rebuilt = Materializer.taskTensor(mg, TensorBridge.toF32(mg, base, name),
                        TensorBridge.toF32(mg, info, tensors.get(name).duplicate()), m.get(t).duplicate(), scale);
                return copy(TensorBridge.fromF32Transient(rebuilt, inputInfos.get(name).dtype()));
            }
        });
    }

    private void checkCommitted() {
        if (!committed) {
            throw new IllegalStateException("the merge into memory did not finish");
        }
    }

    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer d = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        d.put(src.duplicate()).flip();
        return d;
    }

    private final class Source implements TensorSource {
        private final String label;
        private final java.util.function.Function<String, TensorInfo> info;
        private final java.util.function.Function<String, ByteBuffer> read;

        Source(String label, java.util.function.Function<String, TensorInfo> info,
               java.util.function.Function<String, ByteBuffer> read) {
            this.label = label;
            this.info = info;
            this.read = read;
        }

        @Override
        public List<String> names() {
            List<String> n = new ArrayList<>(infos.keySet());
            Collections.sort(n);
            return n;
        }

        @Override
        public boolean contains(String name) {
            return infos.containsKey(name);
        }

        @Override
        public TensorInfo info(String name) {
            TensorInfo i = info.apply(name);
            if (i == null) {
                throw new AmalgamException(label + ": no tensor '" + name + "'");
            }
            return i;
        }

        @Override
        public ByteBuffer bytes(String name) {
            info(name);
            ByteBuffer b = read.apply(name);
            if (b == null) {
                throw new AmalgamException(label + ": tensor '" + name + "' was not written by the merge");
            }
            return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public String describe() {
            return label;
        }

        @Override
        public void close() {
        }
    }
}
