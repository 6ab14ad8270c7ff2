package dev.amalgam.eval.run;

import dev.amalgam.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam bench eval} without a zoo: the synthetic suite, one row per phase, each share its seconds over the total. */
@Tag("slow") // a MiniLM-sized forward benchmark
class BenchEvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesThePhaseTable() throws IOException {
        int rc = Main.execute("bench", "eval", "--zoo", tmp.resolve("no-zoo").toString(), "--limit", "3",
                "--synthetic-tasks", "1", "--out", tmp.resolve("out").toString());
        assertEquals(0, rc);
        List<String> csv = Files.readAllLines(tmp.resolve("out/eval.csv"));
        assertEquals("phase,seconds,share %", csv.get(0));
        assertEquals(6, csv.size());
        List<String> phases = List.of("load weights + tokenise", "forward (feature extraction)", "heads (logits + accuracy)",
                "report writing (CSV/MD/HTML)", "total");
        double[] seconds = new double[5];
        double[] share = new double[5];
        for (int i = 0; i < 5; i++) {
            String[] f = csv.get(i + 1).split(",");
            assertEquals(phases.get(i), f[0]);
            seconds[i] = Double.parseDouble(f[1]);
            share[i] = Double.parseDouble(f[2]);
            assertTrue(seconds[i] >= 0, csv.get(i + 1));
        }
        double total = seconds[4];
        assertEquals(100.0, share[4], 0.0);
        double timed = 0;
        for (int i = 0; i < 4; i++) {
            // each share is its seconds over the total, up to the rounding of the printed numbers
            // (seconds to 0.0005, shares to 0.05); the timings themselves are not asserted
            double slack = 0.05 + 100 * 0.0005 * (1 + seconds[i] / total) / total;
            assertEquals(100 * seconds[i] / total, share[i], slack, csv.get(i + 1));
            timed += seconds[i];
        }
        // the phases are timed inside the total (which also holds untimed glue between them)
        assertTrue(timed <= total + 0.002, "phases within the total: " + timed + " of " + total + " s");
        assertTrue(Files.readString(tmp.resolve("out/eval.md")).contains("6 examples"));
    }
}
