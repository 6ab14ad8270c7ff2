package dev.amalgam.cli;

import dev.amalgam.testutil.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Argument handling and the reference-unavailable path of {@code bench forward} (no real benchmark here). */
class BenchForwardCommandTest {
    @TempDir
    Path tmp;

    @Test
    void rejectsNonPositiveCounts() {
        CliRunner.Result r = CliRunner.run("bench", "forward", "--batch", "0", "--out", tmp.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--batch"), r.err());
        assertEquals(2, CliRunner.run("bench", "forward", "--warmup", "-1").exitCode());
        assertEquals(2, CliRunner.run("bench", "forward", "--iters", "x").exitCode());
    }

    @Test
    void missingPythonStillReportsTheJavaFigure() throws Exception {
        Path out = tmp.resolve("results");
        // One encoder layer, one image, one timed pass: the command's path, not a measurement.
        CliRunner.Result r = CliRunner.run("bench", "forward", "--layers", "1", "--batch", "1", "--warmup", "0",
                "--iters", "1", "--python", tmp.resolve("no-python").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PyTorch-Python reference unavailable: " + tmp.resolve("no-python") + " not found"),
                r.out());
        List<String> csv = Files.readAllLines(out.resolve("forward.csv"));
        assertEquals(2, csv.size(), csv.toString()); // header + the Java row only
        assertTrue(csv.get(1).startsWith("Amalgam Java"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",n/a"), csv.get(1));
        double imagesPerSecond = Double.parseDouble(csv.get(1).split(",")[4]);
        assertTrue(imagesPerSecond > 0, csv.get(1));
        assertTrue(Files.isRegularFile(out.resolve("forward.md")));
    }

    @Test
    void interpreterWithoutTorchOrScriptIsUnavailable() throws Exception {
        Path script = Files.writeString(tmp.resolve("s.py"), "");
        // /bin/sh exists but cannot 'import torch'.
        assertTrue(BenchForwardCommand.referenceUnavailable(Path.of("/bin/sh"), script).contains("has no torch"));
        assertTrue(BenchForwardCommand.referenceUnavailable(Path.of("/bin/sh"), tmp.resolve("absent.py"))
                .endsWith("absent.py not found"));
    }
}
