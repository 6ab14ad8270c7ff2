package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import java.util.HashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter; the update of {@code torch.optim.AdamW})
 * that decays only the parameters it is told to, with a per-parameter learning-rate multiplier.
 *
 * <p>DJL's own {@code AdamW} decays every parameter; fine-tuning recipes exempt biases and
 * normalisation weights. Each update of parameter {@code w} with gradient {@code g} at its
 * {@code t}-th update:
 * <pre>
 *   w ← w · (1 − lr·wd)                  (only when the parameter decays)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 * where {@code lr} is the schedule's value at the global update count times the parameter's
 * multiplier. The gradient of {@code w} is zeroed after the update (DJL's optimisers do the same).
 * Gradient clipping is global and done by the caller ({@link GradientClipping}); the inherited
 * per-element {@code optClipGrad} / {@code setRescaleGrad} builder settings are ignored.
 */
public final class AdamWNoDecayOnNorms extends Optimizer implements AutoCloseable {

    /** How one parameter is optimised. */
    public record Group(float lrMultiplier, boolean decay) {
    }

    private final Tracker schedule;
    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, Group> groups;
    private final Map<String, Integer> updates = new HashMap<>();
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private NDManager stateManager;
    private int globalStep;

    private AdamWNoDecayOnNorms(Builder b) {
        super(b);
        this.schedule = b.schedule;
        this.weightDecay = b.weightDecay;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.groups = Map.copyOf(b.groups);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The number of updates of the most-updated parameter: the step the schedule is read at. */
    public int globalStep() {
        return globalStep;
    }

    /** The learning rate (before multipliers) the next update will use. */
    public float nextLearningRate() {
        return schedule.getNewValue(globalStep + 1);
    }

    /**
     * Updates {@code weight} in place. {@code grad} is used as scratch space (it may be the
     * parameter's live gradient); the parameter's gradient is left zeroed.
     */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updates.merge(parameterId, 1, Integer::sum);
        globalStep = Math.max(globalStep, t);
        Group group = groups.get(parameterId);
        if (group == null) {
            group = new Group(1f, weight.getShape().dimension() >= 2);
        }
        double lr = (double) schedule.getNewValue(globalStep) * group.lrMultiplier();
        // The moments are kept unnormalised, M = m / (1 - β1) and V = v / (1 - β2), which saves two
        // passes over the data: M ← β1·M + g, V ← β2·V + g², and the step
        // lr/c1 · m / (√(v/c2) + ε) = k · M / (√V + ε') with s = √((1 − β2)/c2),
        // k = lr·(1 − β1)/(c1·s), ε' = ε/s.
        NDArray bigM = state(means, parameterId, weight);
        NDArray bigV = state(variances, parameterId, weight);
        if (group.decay() && weightDecay != 0f) {
            weight.muli((float) (1.0 - lr * weightDecay));
        }
        bigM.muli(beta1).addi(grad);
        grad.muli(grad);
        bigV.muli(beta2).addi(grad);
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        double scale = Math.sqrt((1.0 - beta2) / c2);
        double k = lr * (1.0 - beta1) / (c1 * scale);
        try (NDArray denom = bigV.sqrt()) {
            denom.addi((float) (epsilon / scale));
            try (NDArray step = bigM.div(denom)) {
                step.muli((float) k);
                weight.subi(step);
            }
        }
        try (NDArray live = weight.getGradient()) {
            live.muli(0f);
        }
    }

    private NDArray state(Map<String, NDArray> store, String id, NDArray like) {
        NDArray s = store.get(id);
        if (s == null) {
            if (stateManager == null) {
                stateManager = like.getManager().getEngine().newBaseManager(like.getDevice());
            }
            s = stateManager.zeros(like.getShape(), like.getDataType());
            store.put(id, s);
        }
        return s;
    }

    /** Frees the moment estimates. */
    @Override
    public void close() {
        if (stateManager != null) {
            stateManager.close();
            stateManager = null;
        }
        means.clear();
        variances.clear();
    }

    /** Builder; defaults are those of {@code torch.optim.AdamW} with weight decay 0.01. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private Tracker schedule = Tracker.fixed(1e-3f);
        private float weightDecay = 0.01f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private final Map<String, Group> groups = new HashMap<>();

        public Builder schedule(Tracker s) {
            this.schedule = s;
            return this;
        }

        public Builder weightDecay(float wd) {
            this.weightDecay = wd;
            return this;
        }

        public Builder betas(float b1, float b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        public Builder epsilon(float eps) {
            this.epsilon = eps;
            return this;
        }

        /** Settings for the parameter with DJL id {@code parameterId}; others: multiplier 1, decay iff ≥ 2-D. */
        public Builder group(String parameterId, Group g) {
            groups.put(parameterId, g);
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public AdamWNoDecayOnNorms build() {
            return new AdamWNoDecayOnNorms(this);
        }
    }
}
