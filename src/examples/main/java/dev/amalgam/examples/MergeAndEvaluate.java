package dev.amalgam.examples;

import dev.amalgam.api.Merge;
import dev.amalgam.eval.api.Evaluation;
import dev.amalgam.eval.run.EvaluationSuite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merges two fine-tuned text classifiers with TIES, in memory, and scores the merge on both tasks next to each
 * fine-tune on its own task.
 *
 * <p>Usage: {@code MergeAndEvaluate PRETRAINED DATA TASK=FINETUNE TASK=FINETUNE} — a BERT-family encoder, a text
 * suite's data directory ({@code <task>/{train,test,ood}.jsonl}) and the fine-tunes (with their heads).
 */
public final class MergeAndEvaluate {
    private MergeAndEvaluate() {
    }

    public static void main(String[] args) {
        Path pretrained = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Map<String, Path> finetunes = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            finetunes.put(kv[0], Path.of(kv[1]));
        }

        Merge ties = Merge.method("ties").base(pretrained).param("density", 0.5).param("weight", 1.0);
        finetunes.forEach(ties::finetune);
        Merge.InMemory merged = ties.inMemory();

        Map<String, Object> models = new LinkedHashMap<>();
        finetunes.forEach((t, p) -> models.put(t, p.toString()));
        try (Evaluation suite = Evaluation.suite("text").option("pretrained", pretrained.toString())
                .option("data", data.toString()).option("models", models).open()) {
            for (Map.Entry<String, Path> ft : finetunes.entrySet()) {
                EvaluationSuite.Scores own = suite.evaluate(ft.getValue());
                System.out.printf("fine-tune %-8s ID %.3f on its task%n", ft.getKey(), own.id().get(ft.getKey()));
            }
            EvaluationSuite.Scores m = suite.evaluate(merged.merged());
            m.id().forEach((task, acc) -> System.out.printf("TIES merge  ID %.3f OOD %.3f on %s%n", acc, m.ood().get(task), task));
        }
    }
}
