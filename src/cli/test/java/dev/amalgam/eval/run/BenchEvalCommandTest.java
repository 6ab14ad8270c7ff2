package dev.amalgam.eval.run;

import dev.amalgam.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam bench eval} without a zoo: the synthetic suite, one row per phase, shares summing to 100. */
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
        double share = 0;
        double seconds = 0;
        for (int i = 1; i <= 4; i++) {
            String[] f = csv.get(i).split(",");
            assertTrue(Double.parseDouble(f[2]) >= 0, csv.get(i));
            share += Double.parseDouble(f[2]);
            seconds += Double.parseDouble(f[1]);
        }
        // the phases are timed inside the total (which also holds untimed glue between them)
        double total = Double.parseDouble(csv.get(5).split(",")[1]);
        assertTrue(share <= 100.5 && seconds <= total + 0.002, "phases within the total: " + share + " % of " + total + " s");
        assertTrue(share > 50, "the timed phases are most of the run: " + share);
        assertTrue(Files.readString(tmp.resolve("out/eval.md")).contains("6 examples"));
    }
}
