package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;

import java.util.Collection;
import java.util.List;

/**
 * Optional extension of {@link MergeMethod} for methods whose maths couples several tensors, e.g.
 * CART on a Hugging Face checkpoint, which must take ONE SVD of q/k/v stacked row-wise (the
 * OpenCLIP {@code in_proj_weight} layout) and split the result back.
 *
 * <p>Contract for the executor:
 * <ol>
 *   <li>Before the merge pass (after any statistic passes) it calls {@link #jointGroups(Collection)}
 *       once with every floating-point tensor name that will be merged.</li>
 *   <li>Each returned group is merged by ONE call to {@link #mergeJoint(List)} with the steps of that
 *       group, in the group's order, all open at the same time (each step still has its own
 *       manager, closed by the executor after the call). The call returns one merged tensor per
 *       step, in the same order, each attached to its own step's manager and with that step's shape.
 *       The executor may run the group when it reaches the group's first name in sorted order.</li>
 *   <li>Names in no group go through {@link #merge(TensorStep)} as usual. A method may throw
 *       {@link IllegalStateException} from {@code merge} for a grouped name, so an executor that
 *       ignores this interface fails loudly instead of silently running a different algorithm.</li>
 * </ol>
 * Groups are disjoint; a name appears in at most one group. Statistic passes ({@link #observe}) are
 * unaffected and stay per tensor.
 */
public interface JointTensors extends MergeMethod {

    /**
     * The groups of tensors that must be merged together, each listed in the order
     * {@link #mergeJoint(List)} expects; empty if none.
     *
     * @throws dev.amalgam.AmalgamException if the names form an incomplete group (e.g. a q_proj
     *         without its k_proj/v_proj), naming the tensor
     */
    List<List<String>> jointGroups(Collection<String> names);

    /** Merges one group; see the interface contract. */
    NDArray[] mergeJoint(List<TensorStep> steps);
}
