package dev.amalgam.merge.lwptv;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.JointTensors;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.StatisticPass;
import dev.amalgam.merge.TaskModulated;
import dev.amalgam.merge.TensorStep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LwPTV — layer-wise pruning of task vectors ("Merging Smarter, Generalizing Better", arXiv
 * 2506.09093), as a decorator over any {@link MergeMethod}.
 *
 * <p>Pass 1 (and more if the score needs them) computes the task × layer saliency matrix; the mask
 * rule turns it into per-task layer masks; the host then sees τ̂_t^l = M[t][l] · τ_t^l in all of its
 * own passes and in the merge (Amalgam's composition order: the mask is applied to the raw task
 * vectors before the host runs; the paper's order is not published). A layer pruned for every task
 * keeps the pre-trained tensor θ_0 exactly. The layer of a tensor is {@link TensorStep#group()}, so the
 * executor's grouping (per tensor or per transformer block) sets the granularity. Spec:
 * docs/methods/lwptv.md.
 */
public class Lwptv implements MergeMethod {
    private final MergeMethod host;
    private final SaliencyScore score;
    private final MaskRule rule;
    private final Map<String, Integer> layers = new LinkedHashMap<>();
    private List<String> taskNames = List.of();
    private double[][] saliency;
    private boolean[][] masks;

    protected Lwptv(MergeMethod host, SaliencyScore score, MaskRule rule) {
        this.host = host;
        this.score = score;
        this.rule = rule;
    }

    /** Wraps {@code host}; the result is {@link TaskModulated} exactly when the host is. */
    public static Lwptv wrap(MergeMethod host, SaliencyScore score, MaskRule rule) {
        if (host instanceof TaskModulated tm) {
            return new Modulated(tm, score, rule);
        }
        if (host instanceof JointTensors jt) {
            return new Joint(jt, score, rule);
        }
        return new Lwptv(host, score, rule);
    }

    public MergeMethod host() {
        return host;
    }

    @Override
    public void prepare(dev.amalgam.merge.MergeInputs in) {
        host.prepare(in);
    }

    @Override
    public String name() {
        return host.name() + "+lwptv";
    }

    @Override
    public String describe() {
        return host.describe() + " + LwPTV[score=" + score.describe() + ", mask=" + rule.describe() + "]";
    }

    /** The saliency passes of the score, then the host's passes over the masked task vectors. */
    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        score.reset();
        layers.clear();
        taskNames = List.of();
        saliency = null;
        masks = null;
        java.util.List<StatisticPass> out = new java.util.ArrayList<>();
        for (int i = 0; i < score.passes(); i++) {
            int pass = i;
            out.add(StatisticPass.of("lwptv saliency (" + score.describe() + ")" + (score.passes() > 1 ? " " + (i + 1) : ""),
                    step -> {
                        if (taskNames.isEmpty()) {
                            taskNames = step.taskNames();
                        }
                        score.observe(pass, step, layerIndex(step.group()));
                    },
                    () -> {
                        score.endPass(pass);
                        if (pass == score.passes() - 1) {
                            saliency = score.scores(layers.size());
                            masks = rule.mask(saliency);
                        }
                    }));
        }
        out.addAll(StatisticPass.wrap(host.statisticPasses(), "", this::masked));
        return out;
    }

    @Override
    public NDArray merge(TensorStep step) {
        if (prunedForAllTasks(step)) {
            return step.base().duplicate();
        }
        return host.merge(masked(step));
    }

    /** Layer names in index order (rows of {@link #saliency()} columns). */
    public List<String> layerNames() {
        return Collections.unmodifiableList(new ArrayList<>(layers.keySet()));
    }

    public List<String> taskNames() {
        return taskNames;
    }

    /** s[task][layer], available after the score's passes. */
    public double[][] saliency() {
        return saliency;
    }

    /** keep[task][layer], available after the score's passes. */
    public boolean[][] masks() {
        return masks;
    }

    private int layerIndex(String group) {
        return layers.computeIfAbsent(group, g -> layers.size());
    }

    private boolean keeps(int task, String group) {
        if (masks == null) {
            throw new IllegalStateException("LwPTV masks used before the saliency passes ran");
        }
        Integer l = layers.get(group);
        return l == null || masks[task][l];
    }

    boolean prunedForAllTasks(TensorStep step) {
        for (int t = 0; t < step.taskCount(); t++) {
            if (keeps(t, step.group())) {
                return false;
            }
        }
        return true;
    }

    TensorStep masked(TensorStep step) {
        List<NDArray> tvs = new ArrayList<>(step.taskCount());
        boolean changed = false;
        for (int t = 0; t < step.taskCount(); t++) {
            if (keeps(t, step.group())) {
                tvs.add(step.taskVector(t));
            } else {
                tvs.add(step.taskVector(t).zerosLike());
                changed = true;
            }
        }
        return changed ? step.withTaskVectors(tvs) : step;
    }

    /** LwPTV over a method that merges some tensors jointly (CART with stacked q/k/v). */
    static final class Joint extends Lwptv implements JointTensors {
        private final JointTensors host;

        Joint(JointTensors host, SaliencyScore score, MaskRule rule) {
            super(host, score, rule);
            this.host = host;
        }

        @Override
        public List<List<String>> jointGroups(java.util.Collection<String> names) {
            return host.jointGroups(names);
        }

        @Override
        public NDArray[] mergeJoint(List<TensorStep> steps) {
            List<TensorStep> masked = new ArrayList<>(steps.size());
            for (TensorStep s : steps) {
                masked.add(masked(s));
            }
            NDArray[] out = host.mergeJoint(masked);
            for (int i = 0; i < steps.size(); i++) {
                if (prunedForAllTasks(steps.get(i))) {
                    out[i] = steps.get(i).base().duplicate();
                }
            }
            return out;
        }
    }

    /** LwPTV over a method with per-task models (EMR, TALL). */
    static final class Modulated extends Lwptv implements TaskModulated {
        private final TaskModulated host;

        Modulated(TaskModulated host, SaliencyScore score, MaskRule rule) {
            super(host, score, rule);
            this.host = host;
        }

        @Override
        public Modulation modulate(TensorStep step) {
            return host.modulate(masked(step));
        }

        @Override
        public double[] taskScales() {
            return host.taskScales();
        }
    }
}
