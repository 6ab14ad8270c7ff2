package dev.amalgam.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run recipe ({@code amalgam run RECIPE.yaml}, docs/run.md): which suite, which tasks, which
 * methods with which sweeps and LwPTV variants, and optionally the unseen-task protocol.
 *
 * @param tasks    ID tasks (merged and evaluated); empty = every task of the suite (or unseen.merge)
 * @param heldout  tasks evaluated as unseen (never merged); empty when the protocol is off
 * @param keep     keep merged checkpoints under OUT/merges instead of deleting them after evaluation
 * @param baselines whether the pre-trained and individual fine-tuned rows are computed
 */
public record RunRecipe(String name, Path file, SuiteSpec suite, List<String> tasks, List<String> heldout,
                        List<MethodSpec> methods, boolean keep, boolean baselines) {

    /** The suite kind (see {@link SuiteKinds}) and its options; paths in options resolve against {@code baseDir}. */
    public record SuiteSpec(String kind, Map<String, Object> options, Path baseDir) {
    }

    /**
     * One method entry: fixed params, a grid of swept params (cartesian product) and LwPTV variants
     * (null = without LwPTV; a map whose values may be lists, expanded as a grid too).
     */
    public record MethodSpec(String method, String label, Map<String, Object> params, Map<String, List<Object>> sweep,
                             List<Map<String, Object>> lwptv) {
    }
}
