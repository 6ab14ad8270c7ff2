package dev.amalgam.run;

import dev.amalgam.demo.DemoMethods;
import dev.amalgam.demo.DemoRunner;
import dev.amalgam.eval.run.TextTaskSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.report.ResultTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo runs on the run engine: its rows, order, labels and files are those of the demo, and its
 * fine-tuned, Task Arithmetic and EMR rows score what the suite scores on those models merged apart
 * from the merge code (in double, from the formulas of docs/methods/merge-methods.md).
 */
@Tag("slow") // a whole demo run
class DemoOnEngineTest {
    @TempDir
    Path root;

    @Test
    void demoRowsAndFiles() throws IOException {
        TinyTextZoo.write(root);
        Map<String, Path> models = new LinkedHashMap<>();
        TinyTextZoo.TASKS.forEach(t -> models.put(t, root.resolve("models").resolve(t)));
        List<DemoMethods.Method> methods = DemoMethods.all().stream()
                .filter(m -> m.name().equals("task_arithmetic") || m.name().equals("emr")).toList();
        Path out = root.resolve("demo/text");
        ResultTable t;
        try (TextTaskSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            t = DemoRunner.run(suite, new DemoRunner.Options(out, methods, Map.of("", Map.of())));
        }
        assertEquals(List.of("Pre-trained (linear probe)", "Individual fine-tuned", "Task Arithmetic (λ=0.3)",
                "Task Arithmetic (λ=0.3) + LwPTV", "EMR", "EMR + LwPTV"), t.rows().stream().map(ResultTable.Row::method).toList());
        assertEquals(TinyTextZoo.TASKS, t.tasks());
        try (TextTaskSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            for (int i = 0; i < TinyTextZoo.TASKS.size(); i++) {
                String task = TinyTextZoo.TASKS.get(i);
                try (Checkpoint own = Checkpoints.open(models.get(task))) {
                    TinyTextZoo.assertScores(suite, own, t.rows().get(1), task);
                }
                TinyTextZoo.assertScores(suite, TinyTextZoo.taskArithmetic(root, TinyTextZoo.TASKS, 0.3), t.rows().get(2), task);
                TinyTextZoo.assertScores(suite, TinyTextZoo.emrTaskModel(root, TinyTextZoo.TASKS, i), t.rows().get(4), task);
            }
        }
        for (String f : List.of("results.csv", "results.md", "report.html", "lwptv-masks.csv")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(!Files.exists(out.resolve("merges")));
    }
}
