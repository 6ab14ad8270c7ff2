package dev.amalgam.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.Json;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.RunRecipeParser;
import dev.amalgam.run.SuiteKinds;
import dev.amalgam.run.TinyTextZoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sweep both Spark tests run: the core's tiny text zoo (random 1-layer BERTs) with baselines, a λ
 * sweep of Task Arithmetic and TIES ± LwPTV: 2 + 4 + 2 = 8 cells. Its reference is the same recipe run
 * in one process by {@link RunEngine}.
 */
final class SweepFixture {
    /** The report files that hold no timings: they must be byte-equal between the two runs. */
    static final List<String> REPORT = List.of("results.csv", "intervals.csv", "sweep.csv", "saliency.csv");
    static final int CELLS = 8;

    private SweepFixture() {
    }

    private static JsonNode withoutSeconds(Path cell) {
        ObjectNode n = (ObjectNode) Json.readFile(cell);
        n.remove("seconds");
        return n;
    }

    static Path recipe(Path root) throws IOException {
        TinyTextZoo.write(root);
        Path f = root.resolve("sweep.yaml");
        Files.writeString(f, "name: sweep\n" + TinyTextZoo.suiteYaml() + """
                tasks: [alpha, beta]
                methods:
                  - {method: task_arithmetic, params: {weight: 1}, sweep: {lambda: [0.2, 0.4, 0.6, 0.8]}}
                  - {method: ties, params: {density: 0.5, weight: 1}, lwptv: [null, {score: energy}]}
                """);
        return f;
    }

    /** The reference: the recipe run in this process; returns its wall seconds. */
    static double single(Path recipe, Path root, Path out) {
        long t0 = System.nanoTime();
        RunRecipe r = RunRecipeParser.parse(recipe);
        RunEngine.Summary s = RunEngine.run(RunPlan.of(r, out, false), () -> SuiteKinds.open(r.suite(), root, recipe.toString()), true);
        assertEquals(CELLS, s.computed());
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Each report file equal to the reference's (results.md up to its cells table, which lists seconds),
     * each stored cell equal but for its seconds, and exactly one stored file per cell.
     */
    static void assertSameReport(Path expected, Path actual) throws IOException {
        for (String f : REPORT) {
            assertEquals(Files.readString(expected.resolve(f)), Files.readString(actual.resolve(f)), f);
        }
        assertEquals(Files.readString(expected.resolve("results.md")).split("## cells")[0],
                Files.readString(actual.resolve("results.md")).split("## cells")[0], "results.md");
        try (Stream<Path> cells = Files.list(actual.resolve("cells"))) {
            List<String> names = cells.map(p -> p.getFileName().toString()).sorted().toList();
            try (Stream<Path> ref = Files.list(expected.resolve("cells"))) {
                assertEquals(ref.map(p -> p.getFileName().toString()).sorted().toList(), names,
                        "one stored file per cell id, nothing else (no temp files, no duplicates)");
            }
            for (String n : names) {
                assertEquals(withoutSeconds(expected.resolve("cells").resolve(n)), withoutSeconds(actual.resolve("cells").resolve(n)), n);
            }
        }
    }
}
