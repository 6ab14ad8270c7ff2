package dev.amalgam.spark;

import dev.amalgam.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam run RECIPE --spark local[2]} through the CLI: the same report as one process, then a resume. */
class LocalSparkRunTest {
    @TempDir
    Path root;

    @Test
    void localTwoEqualsOneProcessAndResumesWithoutSpark() throws IOException {
        Path recipe = SweepFixture.recipe(root);
        double single = SweepFixture.single(recipe, root, root.resolve("single"));

        long t0 = System.nanoTime();
        String[] r = cli("run", recipe.toString(), "--out", root.resolve("spark").toString(), "--spark", "local[2]");
        double spark = (System.nanoTime() - t0) / 1e9;
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("8 cells as Spark tasks on local[2]"), r[2]);
        assertEquals(SweepFixture.CELLS, r[2].lines().filter(l -> l.matches("run\\[sweep\\]: .* s \\(cell [0-9a-f]{16}, \\d/8\\)")).count(),
                "one log line per cell, from the driver:\n" + r[2]);
        SweepFixture.assertSameReport(root.resolve("single"), root.resolve("spark"));
        System.err.printf("timing: %d cells, one process %.1f s, local[2] %.1f s (with SparkContext start)%n",
                SweepFixture.CELLS, single, spark);

        String[] again = cli("run", recipe.toString(), "--out", root.resolve("spark").toString(), "--spark", "local[2]");
        assertEquals("0", again[0], again[2]);
        assertTrue(again[2].contains("8 cells (0 computed, 8 cached)"), "resume: nothing left, no Spark job:\n" + again[2]);
        assertTrue(!again[2].contains("Spark tasks"), again[2]);
    }

    @Test
    void badMasterAndSpeculationAreRefusedInOneLine() throws IOException {
        Path recipe = SweepFixture.recipe(root);
        String[] r = cli("run", recipe.toString(), "--out", root.resolve("x").toString(), "--spark", "local[two]");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'local[two]' is not a Spark master"), r[2]);
        r = cli("run", recipe.toString(), "--out", root.resolve("x").toString(), "--spark", "local[2]",
                "--spark-conf", "spark.speculation=true");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("spark.speculation=true"), r[2]);
        r = cli("run", recipe.toString(), "--spark-conf", "spark.task.cpus=1");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--spark-conf needs --spark MASTER"), r[2]);
    }

    /** rc, stdout, stderr. */
    static String[] cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            rc = Main.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        System.err.print(e);
        return new String[] {Integer.toString(rc), o.toString(), e.toString()};
    }
}
