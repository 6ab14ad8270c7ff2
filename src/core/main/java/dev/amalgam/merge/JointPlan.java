package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The executor's bookkeeping for {@link JointTensors} methods: a group is merged when its first
 * member comes up in sorted order; the other members' results wait (on their own managers) until
 * their turn, so the sink still receives tensors in sorted order. At most one group is held at a time.
 */
final class JointPlan {
    static final JointPlan NONE = new JointPlan();

    private final JointTensors method;
    private final Map<String, List<String>> groupOf = new HashMap<>();
    private final Map<String, NDArray> pending = new HashMap<>();
    private final Map<String, NDManager> managers = new HashMap<>();

    private JointPlan() {
        this.method = null;
    }

    JointPlan(JointTensors method, List<String> floatNames) {
        this.method = method;
        for (List<String> g : method.jointGroups(floatNames)) {
            for (String n : g) {
                groupOf.put(n, g);
            }
        }
    }

    boolean isGrouped(String name) {
        return groupOf.containsKey(name);
    }

    boolean isPending(String name) {
        return pending.containsKey(name);
    }

    void mergeGroupOf(String name, Function<String, TensorStep> load) {
        List<String> group = groupOf.get(name);
        List<TensorStep> steps = new java.util.ArrayList<>(group.size());
        try {
            for (String n : group) {
                steps.add(load.apply(n));
            }
            NDArray[] merged = method.mergeJoint(steps);
            if (merged.length != group.size()) {
                throw new IllegalStateException(method.name() + " returned " + merged.length + " tensors for the "
                        + group.size() + " of group " + group);
            }
            for (int i = 0; i < group.size(); i++) {
                // each result is closed with its step's manager; one attached elsewhere would leak or vanish early
                if (merged[i].getManager() != steps.get(i).manager()) {
                    throw new IllegalStateException(method.name() + ": merged " + group.get(i) + " is not attached to its step's manager");
                }
                pending.put(group.get(i), merged[i]);
                managers.put(group.get(i), steps.get(i).manager());
            }
        } catch (RuntimeException e) {
            steps.forEach(s -> s.manager().close());
            throw e;
        }
    }

    NDManager pendingManager(String name) {
        return managers.remove(name);
    }

    NDArray takePending(String name) {
        return pending.remove(name);
    }
}
