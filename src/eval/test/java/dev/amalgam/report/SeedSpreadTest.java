package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spread over three runs against hand-worked means, sample standard deviations and counts. */
class SeedSpreadTest {

    private static List<Path> runs(Path dir, String name, String... csv) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < csv.length; i++) {
            Path run = dir.resolve("seed" + i);
            Files.createDirectories(run);
            Files.writeString(run.resolve(name + ".csv"), csv[i]);
            out.add(run);
        }
        return out;
    }

    @Test
    void meanSdMinMaxPerRowAndColumnAndSignificanceCounts(@TempDir Path dir) throws IOException {
        String h = "with LwPTV (A),without LwPTV (B),ID Δ,ID low,ID high,ID sig.\n";
        List<Path> r = runs(dir, "lwptv-effect",
                h + "\"TA, LwPTV\",TA,0.02,0.01,0.03,yes\n",
                h + "\"TA, LwPTV\",TA,0.04,-0.01,0.06,no\n",
                h + "\"TA, LwPTV\",TA,0.06,0.02,0.1,yes\nTIES + LwPTV,TIES,-0.01,,,n/a\n");
        Table t = SeedSpread.of("x", r.stream().map(p -> p.resolve("lwptv-effect.csv")).toList());
        assertEquals("TA, LwPTV", t.stringColumn(0).get(0));
        assertEquals("ID Δ", t.stringColumn("column").get(0));
        assertEquals(3, t.intColumn("runs").get(0));
        assertEquals(0.04, t.doubleColumn("mean").get(0), 1e-12);
        assertEquals(0.02, t.doubleColumn("sd").get(0), 1e-12); // deviations ±0.02, 0: sqrt(0.0008 / 2)
        assertEquals(0.02, t.doubleColumn("min").get(0), 1e-12);
        assertEquals(0.06, t.doubleColumn("max").get(0), 1e-12);
        assertEquals("2/3", t.stringColumn("yes").get(3));
        int ties = 4; // the row only the third run has: one value, no sd
        assertEquals("TIES + LwPTV", t.stringColumn(0).get(ties));
        assertEquals(1, t.intColumn("runs").get(ties));
        assertTrue(Double.isNaN(t.doubleColumn("sd").getDouble(ties)));
        assertEquals(0, t.intColumn("runs").get(ties + 1)); // ID low: not measured
        assertEquals("0/0", t.stringColumn("yes").get(ties + 3));
        Table w = SeedSpread.wide(t);
        assertEquals("4.0 ± 2.0 (2.0–6.0)", w.stringColumn("ID Δ").get(0));
        assertEquals("2/3", w.stringColumn("ID sig.").get(0));
    }

    @Test
    void mergeRunsWritesEverySharedTableAndRefusesNonRuns(@TempDir Path dir) throws IOException {
        String h = "method,kind,a,ID avg\n";
        List<Path> r = runs(dir, "results", h + "TA,merged,0.5,0.5\n", h + "TA,merged,0.7,0.7\n");
        List<Path> files = SeedSpreadReport.write(r, dir.resolve("spread"));
        assertEquals(List.of(dir.resolve("spread/results-spread.csv"), dir.resolve("spread/seed-spread.md")), files);
        assertTrue(Files.readString(files.get(1)).contains("| TA | merged | 60.0 ± 14.1 (50.0–70.0) | 60.0 ± 14.1 (50.0–70.0) |"),
                Files.readString(files.get(1)));
        AmalgamException e = assertThrows(AmalgamException.class,
                () -> SeedSpreadReport.write(List.of(r.get(0), dir), dir.resolve("o")));
        assertEquals(dir + ": not a run directory (no results.csv)", e.getMessage());
    }
}
