package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.merge.stages.StepViews;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One tensor of the merge: the pre-trained tensor θ_0 and the T task vectors τ_t = θ_t − θ_0, all F32
 * NDArrays attached to {@link #manager()}, which the executor closes when the step ends. Methods that
 * work on raw weights use {@link #model(int)} (θ_0 + τ_t). Only floating-point tensors reach a method;
 * the executor copies the others from the base.
 *
 * <p>The task vectors may be held as one stacked [T, ...] array ({@link #stackedTaskVectors()}), which
 * lets methods reduce over tasks with a few whole-tensor ops; {@link #taskVector(int)} is then a view
 * of row t. Either form is built from the other on first use.
 */
public final class TensorStep {
    private final TensorInfo info;
    private final String group;
    private final NDManager manager;
    private final NDArray base;
    private List<NDArray> taskVectors;
    private NDArray stacked;
    private final int taskCount;
    private final List<String> taskNames;
    private StepViews views;
    private boolean kernels = true;

    public TensorStep(TensorInfo info, String group, NDManager manager, NDArray base,
                      List<NDArray> taskVectors, List<String> taskNames) {
        if (taskVectors.size() != taskNames.size()) {
            throw new IllegalArgumentException("task vectors and task names differ in count");
        }
        this.info = info;
        this.group = group;
        this.manager = manager;
        this.base = base;
        this.taskVectors = Collections.unmodifiableList(new ArrayList<>(taskVectors));
        this.taskCount = taskVectors.size();
        this.taskNames = List.copyOf(taskNames);
    }

    /** A step whose T task vectors are the rows of {@code stacked} ([T, ...base shape], on {@code manager}). */
    public TensorStep(TensorInfo info, String group, NDManager manager, NDArray base, NDArray stacked,
                      List<String> taskNames) {
        if (stacked.getShape().dimension() != base.getShape().dimension() + 1
                || stacked.getShape().get(0) != taskNames.size()) {
            throw new IllegalArgumentException("stacked task vectors " + stacked.getShape() + " do not match base "
                    + base.getShape() + " and " + taskNames.size() + " tasks");
        }
        this.info = info;
        this.group = group;
        this.manager = manager;
        this.base = base;
        this.stacked = stacked;
        this.taskCount = taskNames.size();
        this.taskNames = List.copyOf(taskNames);
    }

    /** Builds a step from raw fine-tuned weights (computes τ_t = θ_t − θ_0). */
    public static TensorStep fromModels(TensorInfo info, String group, NDManager manager, NDArray base,
                                        List<NDArray> models, List<String> taskNames) {
        List<NDArray> tvs = new ArrayList<>(models.size());
        for (NDArray m : models) {
            tvs.add(m.sub(base));
        }
        return new TensorStep(info, group, manager, base, tvs, taskNames);
    }

    /** Name, original dtype and shape of the tensor (its Hugging Face key). */
    public TensorInfo info() {
        return info;
    }

    public String name() {
        return info.name();
    }

    /** Layer group of this tensor (see ParameterBlocks), e.g. "vision_model.encoder.layers.3". */
    public String group() {
        return group;
    }

    public NDManager manager() {
        return manager;
    }

    /** θ_0 in F32. */
    public NDArray base() {
        return base;
    }

    public int taskCount() {
        return taskCount;
    }

    public List<String> taskNames() {
        return taskNames;
    }

    /** τ_t in F32. */
    public NDArray taskVector(int t) {
        return taskVectors().get(t);
    }

    public List<NDArray> taskVectors() {
        if (taskVectors == null) {
            List<NDArray> rows = new ArrayList<>(taskCount);
            for (int t = 0; t < taskCount; t++) {
                rows.add(stacked.get(t));
            }
            taskVectors = Collections.unmodifiableList(rows);
        }
        return taskVectors;
    }

    /** The task vectors as one [T, ...] F32 array (row t = τ_t); do not modify it. */
    public NDArray stackedTaskVectors() {
        if (stacked == null) {
            stacked = taskCount == 0 ? manager.create(new Shape(0).addAll(base.getShape()))
                    : NDArrays.stack(new NDList(taskVectors), 0);
        }
        return stacked;
    }

    /**
     * Float views of θ_0 and the task vectors for the fused kernels ({@link dev.amalgam.merge.stages}),
     * or null when a tensor is too large for one view or lives off the CPU (methods then use
     * whole-array ops, which on a GPU is what runs fastest anyway).
     */
    public StepViews views() {
        if (views == null && kernels && !base.getDevice().isGpu() && StepViews.fits(base.getShape().size())) {
            views = StepViews.of(base, stacked, taskVectors);
        }
        return views;
    }

    /** The same step with {@link #views()} null, so methods take their whole-array path (tests compare the two). */
    TensorStep withoutKernels() {
        TensorStep s = stacked != null && taskVectors == null
                ? new TensorStep(info, group, manager, base, stacked, taskNames)
                : new TensorStep(info, group, manager, base, taskVectors(), taskNames);
        s.kernels = false;
        return s;
    }

    /** θ_t = θ_0 + τ_t in F32 (a new array on this step's manager). */
    public NDArray model(int t) {
        return base.add(taskVector(t));
    }

    /** The same step with other task vectors (used by wrappers such as LwPTV). */
    public TensorStep withTaskVectors(List<NDArray> newTaskVectors) {
        return new TensorStep(info, group, manager, base, newTaskVectors, taskNames);
    }
}
