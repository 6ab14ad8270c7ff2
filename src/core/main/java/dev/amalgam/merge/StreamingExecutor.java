package dev.amalgam.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import dev.amalgam.io.DTypeConversion;
import dev.amalgam.tensor.TensorBridge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a {@link MergeMethod} over checkpoints with bounded memory: tensors are read one name at a
 * time from memory-mapped inputs, converted to F32 on the chosen device inside one NDManager per step
 * (closed at the step's end), merged, and handed to a {@link MergeSink} that streams them to disk.
 * Methods with global statistics get their statistic passes first, each a full stream over the
 * float tensors. Peak memory is about (T + 2) × the largest tensor, independent of model size.
 */
public final class StreamingExecutor {

    /** Progress callback: phase label, tensors done, tensors in the phase. */
    public interface Progress {
        void update(String phase, long done, long total);

        Progress NONE = (p, d, t) -> { };
    }

    private final Device device;
    private final Function<String, String> grouping;
    private final boolean checkFinite;
    private final Progress progress;
    private DType roundInputsTo;
    private boolean allowNoTasks;
    private boolean kernels = true;

    /**
     * @param device      where merge math runs (CPU or GPU)
     * @param grouping    tensor name → layer group (see {@link dev.amalgam.io.ParameterBlocks})
     * @param checkFinite reject inputs containing NaN/Inf
     */
    public StreamingExecutor(Device device, Function<String, String> grouping, boolean checkFinite, Progress progress) {
        this.device = device;
        this.grouping = grouping;
        this.checkFinite = checkFinite;
        this.progress = progress;
    }

    /**
     * Rounds every input tensor to {@code dtype} (BF16 or F16, round-to-nearest-even) after reading, as
     * MergeKit's {@code dtype:} casts its inputs; the merge math itself stays in F32. Null: no rounding.
     */
    public StreamingExecutor roundInputsTo(DType dtype) {
        this.roundInputsTo = dtype == DType.BF16 || dtype == DType.F16 ? dtype : null;
        return this;
    }

    /** Allows a merge with no task inputs (MergeKit passthrough: each tensor has one input). */
    public StreamingExecutor allowNoTasks() {
        this.allowNoTasks = true;
        return this;
    }

    /**
     * Steps without the fused-kernel views ({@link TensorStep#views()} null), so methods take the
     * whole-array path a GPU takes; the tests compare the two paths on the CPU.
     */
    StreamingExecutor wholeArrayOps() {
        this.kernels = false;
        return this;
    }

    public void run(MergeMethod method, MergeInputs in, MergeSink sink) {
        InputCheck.check(in, allowNoTasks);
        method.prepare(in);
        List<String> names = in.base().names();
        List<String> floatNames = new ArrayList<>();
        List<TensorInfo> plan = new ArrayList<>();
        for (String n : names) {
            TensorInfo info = in.base().info(n);
            plan.add(info);
            if (info.dtype().isFloat()) {
                floatNames.add(n);
            }
        }
        sink.begin(plan, method, in);
        try (NDManager root = NDManager.newBaseManager(device)) {
            List<StatisticPass> passes = method.statisticPasses();
            for (int pass = 0; pass < passes.size(); pass++) {
                StatisticPass sp = passes.get(pass);
                String phase = "pass " + (pass + 1) + "/" + passes.size() + " (" + sp.name() + ")";
                long done = 0;
                for (String n : floatNames) {
                    try (NDManager m = root.newSubManager()) {
                        sp.observe(loadStep(n, in, m, pass == 0));
                    }
                    progress.update(phase, ++done, floatNames.size());
                }
                sp.end();
            }
            boolean firstRead = passes.isEmpty();
            TaskModulated modulated = method instanceof TaskModulated tm ? tm : null;
            JointPlan joint = method instanceof JointTensors jt ? new JointPlan(jt, floatNames) : JointPlan.NONE;
            long done = 0;
            for (String n : names) {
                TensorInfo info = in.base().info(n);
                if (!info.dtype().isFloat()) {
                    in.base().withBytes(n, bytes -> {
                        sink.writeCopied(info, bytes);
                        return null;
                    });
                } else if (joint.isGrouped(n)) {
                    if (!joint.isPending(n)) {
                        joint.mergeGroupOf(n, name -> loadStep(name, in, root.newSubManager(), firstRead));
                    }
                    try (NDManager m = joint.pendingManager(n)) {
                        sink.writeMerged(info, checked(method, info, joint.takePending(n)));
                    }
                } else {
                    try (NDManager m = root.newSubManager()) {
                        TensorStep step = loadStep(n, in, m, firstRead);
                        if (modulated != null) {
                            sink.writeModulation(info, modulated.modulate(step));
                        } else {
                            sink.writeMerged(info, checked(method, info, method.merge(step)));
                        }
                    }
                }
                progress.update("merge", ++done, names.size());
            }
        }
        sink.commit(method);
    }

    /** One reduction: a NaN or Inf anywhere makes the sum non-finite (an overflowing sum only costs the exact check). */
    private static boolean finiteSum(NDArray a) {
        try (NDArray s = a.sum()) {
            return Float.isFinite(s.getFloat());
        }
    }

    private static NDArray checked(MergeMethod method, TensorInfo info, NDArray merged) {
        if (!java.util.Arrays.equals(merged.getShape().getShape(), info.shape())) {
            throw new IllegalStateException(method.name() + " returned shape " + merged.getShape() + " for " + info);
        }
        return merged;
    }

    /**
     * Loads one tensor of every input; NaN/Inf are checked the first time a tensor is read. The T
     * fine-tuned tensors are read straight into the rows of one [T, ...] array, which then becomes the
     * stacked task vectors in place (θ_t − θ_0, one broadcast op, no per-task temporaries).
     */
    private TensorStep loadStep(String name, MergeInputs in, NDManager m, boolean check) {
        TensorInfo info = in.base().info(name);
        NDArray base = load(in.base(), info, m, check);
        long rowBytes = base.getShape().size() * Float.BYTES;
        if (rowBytes * in.taskCount() <= Integer.MAX_VALUE) {
            NDArray stacked = m.create(new Shape(in.taskCount()).addAll(base.getShape()), DataType.FLOAT32);
            ByteBuffer all = rowBytes == 0 ? null : stacked.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; all != null && t < in.taskCount(); t++) {
                TensorSource src = in.models().get(t);
                readF32(src, src.info(name), all.slice((int) (t * rowBytes), (int) rowBytes).order(ByteOrder.LITTLE_ENDIAN));
            }
            round(stacked);
            if (check && checkFinite && !finiteSum(stacked)) {
                for (int t = 0; t < in.taskCount(); t++) {
                    checkFinite(in.models().get(t), info, stacked.get(t));
                }
            }
            stacked.subi(base);
            TensorStep step = new TensorStep(info, grouping.apply(name), m, base, stacked, in.taskNames());
            return kernels ? step : step.withoutKernels();
        }
        List<NDArray> models = new ArrayList<>(in.taskCount());
        for (TensorSource src : in.models()) {
            models.add(load(src, src.info(name), m, check));
        }
        TensorStep step = TensorStep.fromModels(info, grouping.apply(name), m, base, models, in.taskNames());
        return kernels ? step : step.withoutKernels();
    }

    private NDArray load(TensorSource src, TensorInfo info, NDManager m, boolean check) {
        NDArray a = TensorBridge.toF32(m, src, info.name());
        round(a);
        if (check && checkFinite && !finiteSum(a)) {
            checkFinite(src, info, a);
        }
        return a;
    }

    /** Rounds an F32 array's values in place to {@link #roundInputsTo} (then back to F32). */
    private void round(NDArray a) {
        if (roundInputsTo == null || a.getShape().size() == 0) {
            return;
        }
        java.nio.FloatBuffer f = a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        boolean bf16 = roundInputsTo == DType.BF16;
        for (int i = 0, n = f.limit(); i < n; i++) {
            float v = f.get(i);
            f.put(i, bf16 ? dev.amalgam.io.BFloat16.toFloat(dev.amalgam.io.BFloat16.fromFloat(v))
                    : dev.amalgam.io.Float16.toFloat(dev.amalgam.io.Float16.fromFloat(v)));
        }
    }

    /** The exact check behind a non-finite sum (an overflowing sum of finite values passes). */
    private static void checkFinite(TensorSource src, TensorInfo info, NDArray a) {
        try (NDArray bad = a.isNaN().logicalOr(a.isInfinite()); NDArray any = bad.any()) {
            if (any.getBoolean()) {
                throw new AmalgamException(src.describe() + ": tensor '" + info.name()
                        + "' contains NaN or Inf values (use --allow-nonfinite to merge anyway)");
            }
        }
    }

    /** Tensor {@code info} of {@code src} as F32 into {@code dst} (exactly its size, little-endian). */
    private static void readF32(TensorSource src, TensorInfo info, ByteBuffer dst) {
        if (info.dtype() == DType.F32) {
            src.readInto(info.name(), dst);
            return;
        }
        // Mapped for this read only (withBytes unmaps it), so no file pages stay resident between passes.
        src.withBytes(info.name(), bytes -> {
            if (bytes.remaining() != info.numel() * info.dtype().byteSize()) {
                throw new AmalgamException(src.describe() + ": tensor '" + info.name() + "' has " + bytes.remaining()
                        + " bytes, expected " + info.numel() * info.dtype().byteSize());
            }
            DTypeConversion.toFloat32(bytes, info.dtype(), dst.asFloatBuffer());
            return null;
        });
    }
}
