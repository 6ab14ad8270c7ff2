package dev.amalgam.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cached cells of {@code amalgam run} are recomputed when the checkpoints behind the recipe change. */
class RunInputsChangedTest {
    @TempDir
    Path root;

    @Test
    void replacingACheckpointRecomputesEveryCell() throws IOException {
        TinyTextZoo.write(root);
        Path f = root.resolve("inputs.yaml");
        Files.writeString(f, "name: inputs\n" + TinyTextZoo.suiteYaml() + """
                tasks: [alpha, beta]
                methods: [{method: task_arithmetic, params: {weight: 1}}]
                """);
        Path out = root.resolve("runs/inputs");

        String[] first = RunCommandTest.cli("run", f.toString(), "--out", out.toString());
        assertEquals("0", first[0], first[2]);
        assertTrue(first[2].contains("3 cells (3 computed, 0 cached)"), first[2]);
        assertTrue(Files.isRegularFile(out.resolve(InputFingerprint.FILE)));

        String[] same = RunCommandTest.cli("run", f.toString(), "--out", out.toString());
        assertTrue(same[2].contains("3 cells (0 computed, 3 cached)"), same[2]);
        assertFalse(same[2].contains("changed"), same[2]);

        Path alpha = root.resolve("models/alpha");
        try (Stream<Path> s = Files.walk(alpha)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        dev.amalgam.eval.run.SyntheticTextSuite.writeModel(alpha, 16, 1, 2, 32, 99);
        String[] changed = RunCommandTest.cli("run", f.toString(), "--out", out.toString());
        assertEquals("0", changed[0], changed[2]);
        assertTrue(changed[2].contains("checkpoints behind the suite changed"), changed[2]);
        assertTrue(changed[2].contains("3 cells (3 computed, 0 cached)"), changed[2]);

        String[] again = RunCommandTest.cli("run", f.toString(), "--out", out.toString());
        assertTrue(again[2].contains("3 cells (0 computed, 3 cached)"), again[2]);
    }
}
