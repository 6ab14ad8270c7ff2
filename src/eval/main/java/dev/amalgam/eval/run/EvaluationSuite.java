package dev.amalgam.eval.run;

import dev.amalgam.io.TensorSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A suite a merged model is measured on (the demo's text or image half, a user's task suite): a
 * pre-trained model, its task fine-tunes, and an evaluator whose weights are rewritten in place for
 * each model under test.
 */
public interface EvaluationSuite extends AutoCloseable {

    /** Short name used for output folders ("text", "image"). */
    String name();

    /** Report title. */
    String title();

    List<String> tasks();

    /** OOD column names, in table order. */
    List<String> oodColumns();

    Path pretrainedDir();

    Path taskModelDir(String task);

    /** Label of the pre-trained row, e.g. "Pre-trained (zero-shot)". */
    String pretrainedLabel();

    /** Evaluates the pre-trained model (its own protocol: zero-shot heads or linear probes). */
    Scores pretrainedScores();

    /** Writes every tensor of {@code weights} that the evaluated model has into it, in place. */
    void setWeights(TensorSource weights);

    /** ID accuracy and OOD accuracies (by column) of the current weights on {@code task}. */
    Scores evaluate(String task);

    /**
     * ID and OOD scores of the suite's multi-task model (one backbone trained on every task, scored
     * with its own heads or the suite's fixed heads), when the suite has one; the demo shows it as the
     * "multi-task upper bound" row.
     */
    default java.util.Optional<Scores> multiTaskScores() {
        return java.util.Optional.empty();
    }

    /** Whether {@link #multiTaskScores()} has a model to score (checked before a run plans that row). */
    default boolean hasMultiTaskModel() {
        return false;
    }

    /**
     * Accuracy of the current weights on a task that was NOT merged (unseen-task generalisation),
     * scored with a head that does not depend on the merged task set (zero-shot heads, or a linear
     * probe fitted on the frozen current encoder): {@code id} holds {task: accuracy}.
     */
    default Scores evaluateUnseen(String task) {
        throw new dev.amalgam.AmalgamException(name() + " suite has no unseen-task protocol");
    }

    @Override
    void close();

    /**
     * ID accuracy per task and OOD accuracy per column, and how many examples each was measured on
     * (keys as in {@code id} / {@code ood}; a missing key means unknown). Reports use the counts for
     * n and the 95 % interval of each accuracy. {@code outcomes}: the per-example outcomes behind each
     * accuracy, keyed like results.csv's columns ({@code <task>}, {@code ood:<column>}); a missing key means
     * the suite did not keep them, and the paired-bootstrap intervals that need them are left out.
     */
    record Scores(Map<String, Double> id, Map<String, Double> ood, Map<String, Integer> idExamples,
                  Map<String, Integer> oodExamples, Map<String, dev.amalgam.report.Outcomes> outcomes) {
        public Scores {
            idExamples = idExamples == null ? Map.of() : idExamples;
            oodExamples = oodExamples == null ? Map.of() : oodExamples;
            outcomes = outcomes == null ? Map.of() : outcomes;
        }

        /** Scores without per-example outcomes. */
        public Scores(Map<String, Double> id, Map<String, Double> ood, Map<String, Integer> idExamples,
                      Map<String, Integer> oodExamples) {
            this(id, ood, idExamples, oodExamples, Map.of());
        }

        /** Scores without example counts. */
        public Scores(Map<String, Double> id, Map<String, Double> ood) {
            this(id, ood, Map.of(), Map.of());
        }

        /** The parts' scores, counts and outcomes together (e.g. every task's, evaluated one after the other). */
        public static Scores combine(java.util.List<Scores> parts) {
            Map<String, Double> id = new java.util.LinkedHashMap<>();
            Map<String, Double> ood = new java.util.LinkedHashMap<>();
            Map<String, Integer> idN = new java.util.LinkedHashMap<>();
            Map<String, Integer> oodN = new java.util.LinkedHashMap<>();
            Map<String, dev.amalgam.report.Outcomes> outcomes = new java.util.LinkedHashMap<>();
            for (Scores s : parts) {
                id.putAll(s.id());
                ood.putAll(s.ood());
                idN.putAll(s.idExamples());
                oodN.putAll(s.oodExamples());
                outcomes.putAll(s.outcomes());
            }
            return new Scores(id, ood, idN, oodN, outcomes);
        }

        /** The results.csv column key of an OOD column's outcomes. */
        public static String oodKey(String column) {
            return "ood:" + column;
        }
    }
}
