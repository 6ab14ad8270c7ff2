package dev.amalgam.demo;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.heads.LinearHead;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.train.FineTunedHead;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text half: all-MiniLM-L6-v2 fine-tuned on 4 real tasks; each task scored with its own
 * fine-tuned head on mean-pooled features; the pre-trained row uses linear probes.
 */
public final class TextDemoSuite implements EvaluationSuite {
    private final TextZoo zoo;
    private final List<String> tasks;
    private final TextSuiteEvaluator ev;
    private final Map<String, LinearHead> heads = new LinkedHashMap<>();

    public TextDemoSuite(Path zooDir, Path repoRoot, int evalCap) {
        zoo = new TextZoo(zooDir);
        tasks = zoo.build(repoRoot);
        for (String t : tasks) {
            heads.put(t, FineTunedHead.read(zoo.model(t)).toLinearHead());
        }
        ev = new TextSuiteEvaluator(zoo.pretrained(), zoo.data(), tasks, TextZoo.MAX_LENGTH, evalCap);
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String title() {
        return "Amalgam demo — text suite (all-MiniLM-L6-v2, 4 real tasks, ID vs OOD)";
    }

    @Override
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public List<String> oodColumns() {
        return tasks;
    }

    @Override
    public Path pretrainedDir() {
        return zoo.pretrained();
    }

    @Override
    public Path taskModelDir(String task) {
        return zoo.model(task);
    }

    @Override
    public String pretrainedLabel() {
        return "Pre-trained (linear probe)";
    }

    @Override
    public Scores pretrainedScores() {
        Map<String, Double> id = new LinkedHashMap<>();
        Map<String, Double> ood = new LinkedHashMap<>();
        for (String t : tasks) {
            LinearHead probe = LinearProbe.fit(ev.features(t, "train"), ev.labels(t, "train"),
                    heads.get(t).numClasses(), 300, 0.05, 1e-4);
            id.put(t, ev.accuracy(t, "test", probe));
            ood.put(t, ev.accuracy(t, "ood", probe));
        }
        return new Scores(id, ood);
    }

    /** The multi-task model with its own per-task heads. */
    @Override
    public Optional<Scores> multiTaskScores() {
        try (Checkpoint c = Checkpoints.open(zoo.multiTask())) {
            setWeights(c);
        }
        Map<String, Double> id = new LinkedHashMap<>();
        Map<String, Double> ood = new LinkedHashMap<>();
        for (String t : tasks) {
            LinearHead head = FineTunedHead.read(zoo.multiTask(), t).toLinearHead();
            id.put(t, ev.accuracy(t, "test", head));
            ood.put(t, ev.accuracy(t, "ood", head));
        }
        return Optional.of(new Scores(id, ood));
    }

    @Override
    public void setWeights(TensorSource weights) {
        ev.setWeights(weights);
    }

    @Override
    public Scores evaluate(String task) {
        return new Scores(Map.of(task, ev.accuracy(task, "test", heads.get(task))),
                Map.of(task, ev.accuracy(task, "ood", heads.get(task))));
    }

    @Override
    public void close() {
        ev.close();
    }
}
