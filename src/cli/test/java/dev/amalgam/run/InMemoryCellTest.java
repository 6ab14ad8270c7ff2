package dev.amalgam.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run cell merges into memory and evaluates from there; with {@code keep: true} it writes the merged checkpoint
 * (EMR/TALL: each task materialised) and evaluates it from disk, the path {@code amalgam merge} + evaluate takes.
 * The two must give the same results.csv to the last digit, for a plain merge, an LwPTV merge and the two
 * task-modulated methods.
 */
class InMemoryCellTest {
    @TempDir
    Path root;

    @Test
    void memoryAndDiskCellsGiveIdenticalResults() throws IOException {
        TinyTextZoo.write(root);
        String methods = """
                tasks: [alpha, beta]
                methods:
                  - {method: task_arithmetic, params: {weight: 1, lambda: 0.4}}
                  - {method: ties, params: {density: 0.5, weight: 1}, lwptv: [{score: energy}]}
                  - emr
                  - tall_masks
                """;
        List<String> memory = results("memory", methods, false);
        List<String> disk = results("disk", methods, true);
        assertEquals(1 + 2 + 4, memory.size(), String.join("\n", memory));
        assertEquals(disk, memory);
        assertFalse(Files.exists(root.resolve("runs/memory/merges")) && hasEntries(root.resolve("runs/memory/merges")),
                "an in-memory cell writes no merged checkpoint");
        assertTrue(hasEntries(root.resolve("runs/disk/merges")), "keep: true keeps the merged checkpoints");
    }

    /** Tensor by tensor: the in-memory output equals the written checkpoint, and each EMR task equals its materialised model. */
    @Test
    void memorySinkHoldsTheBytesTheDiskPathWrites() throws IOException {
        TinyTextZoo.write(root);
        for (String method : List.of("task_arithmetic", "emr")) {
            java.util.List<dev.amalgam.recipe.MergeRecipe.ModelEntry> models = new java.util.ArrayList<>();
            for (String t : List.of("alpha", "beta")) {
                models.add(new dev.amalgam.recipe.MergeRecipe.ModelEntry(root.resolve("models").resolve(t), t, java.util.Map.of()));
            }
            java.util.Map<String, Object> params = method.equals("emr") ? java.util.Map.of()
                    : java.util.Map.of("weight", 1, "lambda", 0.4);
            dev.amalgam.recipe.MergeRecipe r = new dev.amalgam.recipe.MergeRecipe(method, method, root.resolve("pretrained"),
                    models, params, null, "base", null, 0L, null);
            Path out = root.resolve("out-" + method);
            dev.amalgam.merge.job.MergeJob.Options o = new dev.amalgam.merge.job.MergeJob.Options(out, null, 1L << 30,
                    ai.djl.Device.cpu(), false, dev.amalgam.merge.StreamingExecutor.Progress.NONE);
            dev.amalgam.merge.job.MergeJob.runWith(r, o, null);
            dev.amalgam.merge.MemorySink memory = new dev.amalgam.merge.MemorySink();
            dev.amalgam.merge.job.MergeJob.runInto(r, o, null, memory);
            if (!method.equals("emr")) {
                try (dev.amalgam.io.Checkpoint disk = dev.amalgam.io.Checkpoints.open(out)) {
                    assertSameTensors(disk, memory.merged());
                }
                continue;
            }
            assertTrue(memory.modulated());
            for (String t : List.of("alpha", "beta")) {
                Path task = root.resolve("task-" + t);
                dev.amalgam.merge.Materializer.materialize(out, t, task, null, 1L << 30);
                try (dev.amalgam.io.Checkpoint disk = dev.amalgam.io.Checkpoints.open(task);
                     dev.amalgam.io.Checkpoint base = dev.amalgam.io.Checkpoints.open(root.resolve("pretrained"))) {
                    assertSameTensors(disk, memory.task(t, base));
                }
            }
        }
    }

    private static void assertSameTensors(dev.amalgam.io.TensorSource expected, dev.amalgam.io.TensorSource got) {
        assertEquals(expected.names(), got.names());
        for (String n : expected.names()) {
            assertEquals(expected.info(n), got.info(n), n);
            assertEquals(expected.bytes(n), got.bytes(n), n);
        }
    }

    private List<String> results(String name, String methods, boolean keep) throws IOException {
        Path f = root.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\n" + (keep ? "keep: true\n" : "") + TinyTextZoo.suiteYaml() + methods);
        Path out = root.resolve("runs").resolve(name);
        String[] r = RunCommandTest.cli("run", f.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        return Files.readAllLines(out.resolve("results.csv"));
    }

    private static boolean hasEntries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }
}
