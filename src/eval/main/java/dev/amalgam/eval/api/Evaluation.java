package dev.amalgam.eval.api;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.SuiteKinds;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates models on a suite from a Java program, as a run recipe's {@code suite:} block names it (docs/run.md,
 * "Suite kinds"):
 *
 * <pre>{@code
 * try (Evaluation e = Evaluation.suite("text")
 *         .option("pretrained", "zoo/pretrained").option("data", "zoo/data")
 *         .option("models", Map.of("spam", "zoo/spam", "sotu_party", "zoo/sotu_party"))
 *         .open()) {
 *     EvaluationSuite.Scores s = e.evaluate(Path.of("merged"));   // every task, ID and OOD
 * }
 * }</pre>
 *
 * Relative paths resolve against {@link #baseDir} (the working directory by default). Unknown option keys and
 * missing files are refused with one line naming the key.
 */
public final class Evaluation implements AutoCloseable {
    private final String kind;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private Path baseDir = Path.of(".");
    private EvaluationSuite suite;

    private Evaluation(String kind) {
        this.kind = kind;
    }

    /** A suite of this kind ({@code text}, {@code clip-tasks}, {@code demo-text}, {@code demo-image}). */
    public static Evaluation suite(String kind) {
        return new Evaluation(kind);
    }

    /** One option of the suite, as in a run recipe ({@code pretrained}, {@code data}, {@code models}, …). */
    public Evaluation option(String key, Object value) {
        options.put(key, value);
        return this;
    }

    /** The directory relative paths in the options resolve against. */
    public Evaluation baseDir(Path dir) {
        this.baseDir = dir;
        return this;
    }

    /** Opens the suite (loads its models and data); close it when done. */
    public Evaluation open() {
        if (suite == null) {
            suite = SuiteKinds.open(new RunRecipe.SuiteSpec(kind, Map.copyOf(options), baseDir),
                    Path.of(System.getProperty("amalgam.home", ".")), "suite " + kind);
        }
        return this;
    }

    /** The open suite, for everything else it offers (pre-trained protocol, unseen tasks, multi-task model). */
    public EvaluationSuite suite() {
        if (suite == null) {
            throw new AmalgamException("suite " + kind + ": call open() first");
        }
        return suite;
    }

    /** The suite's tasks. */
    public List<String> tasks() {
        return suite().tasks();
    }

    /** Loads the model at {@code dir} (a merged or fine-tuned checkpoint) and scores every task, ID and OOD. */
    public EvaluationSuite.Scores evaluate(Path dir) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            return evaluate(c);
        }
    }

    /** Loads these weights (e.g. a merge kept in memory) and scores every task, ID and OOD. */
    public EvaluationSuite.Scores evaluate(TensorSource weights) {
        return evaluate(weights, tasks());
    }

    /** Loads these weights and scores the given tasks. */
    public EvaluationSuite.Scores evaluate(TensorSource weights, List<String> which) {
        suite().setWeights(weights);
        List<EvaluationSuite.Scores> parts = new java.util.ArrayList<>();
        for (String t : which) {
            parts.add(suite.evaluate(t));
        }
        return EvaluationSuite.Scores.combine(parts);
    }

    @Override
    public void close() {
        if (suite != null) {
            suite.close();
            suite = null;
        }
    }
}
