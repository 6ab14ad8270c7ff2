package dev.amalgam.spark;

import dev.amalgam.testutil.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
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
        CliRunner.Result r = cli("run", recipe.toString(), "--out", root.resolve("spark").toString(), "--spark", "local[2]");
        double spark = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("8 cells as Spark tasks on local[2]"), r.err());
        assertEquals(SweepFixture.CELLS, r.err().lines().filter(l -> l.matches("run\\[sweep\\]: .* s \\(cell [0-9a-f]{16}, \\d/8\\)")).count(),
                "one log line per cell, from the driver:\n" + r.err());
        SweepFixture.assertSameReport(root.resolve("single"), root.resolve("spark"));
        System.err.printf("timing: %d cells, one process %.1f s, local[2] %.1f s (with SparkContext start)%n",
                SweepFixture.CELLS, single, spark);

        CliRunner.Result again = cli("run", recipe.toString(), "--out", root.resolve("spark").toString(), "--spark", "local[2]");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains("8 cells (0 computed, 8 cached)"), "resume: nothing left, no Spark job:\n" + again.err());
        assertTrue(!again.err().contains("Spark tasks"), again.err());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path recipe = SweepFixture.recipe(root);
        CliRunner.Result r = cli("run", recipe.toString(), "--out", root.resolve("x").toString(), "--spark", "local[two]");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("'local[two]' is not a Spark master"), r.err());
        r = cli("run", recipe.toString(), "--out", root.resolve("x").toString(), "--spark", "local[2]",
                "--spark-conf", "spark.speculation=true");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("spark.speculation=true"), r.err());
        Path bad = root.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(recipe).replace("tasks: [alpha, beta]", "tasks: [alpha, zeta]"));
        r = cli("run", bad.toString(), "--out", root.resolve("bad").toString(), "--spark", "local[2]");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("amalgam: error: " + bad + ": key 'tasks': unknown task 'zeta'")),
                "a user error met on an executor comes back as the one line it is in one process:\n" + r.err());
        r = cli("run", recipe.toString(), "--spark-conf", "spark.task.cpus=1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--spark-conf needs --spark MASTER"), r.err());
    }

    private static CliRunner.Result cli(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        System.err.print(r.err());
        return r;
    }
}
