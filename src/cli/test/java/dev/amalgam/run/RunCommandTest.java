package dev.amalgam.run;

import dev.amalgam.cli.Main;
import dev.amalgam.eval.run.TextTaskSuite;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.report.ResultTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam run} on a tiny text suite: full report, resume, λ sweep against independent merges, bad recipes. */
class RunCommandTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void zoo() throws IOException {
        TinyTextZoo.write(root);
    }

    static Path recipe(String name, String body) throws IOException {
        Path f = root.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\n" + TinyTextZoo.suiteYaml() + body);
        return f;
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
        return new String[] {Integer.toString(rc), o.toString(), e.toString()};
    }

    @Test
    void fullReportFromTinyCheckpoints() throws IOException {
        Path f = recipe("full", """
                tasks: [alpha, beta]
                methods:
                  - {method: task_arithmetic, params: {weight: 1}, sweep: {lambda: [0.2, 0.5]}}
                  - {method: ties, params: {density: 0.5, weight: 1}, lwptv: [null, {score: energy}]}
                  - emr
                """);
        Path out = root.resolve("runs/full");
        String[] r = cli("run", f.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("method,kind,alpha,beta,ood:alpha,ood:beta,ID avg,OOD avg", csv.get(0));
        assertEquals(1 + 2 + 2 + 2 + 1, csv.size(), String.join("\n", csv)); // baselines, TA × 2 λ, TIES ± LwPTV, EMR
        assertTrue(csv.get(1).startsWith("Pre-trained (linear probe),pretrained,"));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("\"task_arithmetic (weight=1, λ=0.5)\",merged,")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("\"ties (density=0.5, weight=1) + LwPTV (score=energy)\",merged,")), String.join("\n", csv));
        for (String l : csv.subList(1, csv.size())) {
            assertFalse(l.contains("NaN") || l.contains(",,"), "every cell evaluated on every task: " + l);
        }
        List<String> cells = Files.readAllLines(out.resolve("cells.csv"));
        assertEquals(1 + 7, cells.size());
        assertFalse(String.join("\n", cells).contains("{}"), "effective parameters, never an empty map:\n" + String.join("\n", cells));
        assertTrue(cells.get(7).contains(",emr,\"emr(no hyperparameters"), cells.get(7));
        assertTrue(cells.get(5).contains(",ties,\"ties(int8_mask=false, normalize=true, rescale=false, lambda=1.0, weight=1, "
                + "density=0.5)\","), "MergeKit defaults included: " + cells.get(5));
        assertTrue(cells.get(6).contains("energy/keep_ratio(0.75)/block"), "LwPTV defaults included: " + cells.get(6));
        List<String> ci = Files.readAllLines(out.resolve("intervals.csv"));
        assertEquals("method,kind,column,accuracy,n,ci95_low,ci95_high", ci.get(0));
        assertEquals(1 + 7 * 4, ci.size());
        for (String l : ci.subList(1, ci.size())) {
            assertTrue(l.matches(".*,(alpha|beta|ood:alpha|ood:beta),[0-9.]+,30,[0-9.]+,[0-9.]+"), "n = 30 test / ood examples: " + l);
        }
        assertTrue(Files.readString(out.resolve("results.md")).contains("| alpha (n=30) |"));
        assertEquals(5, Files.readAllLines(out.resolve("sweep.csv")).size()); // ID + OOD curve, 2 λ each
        assertTrue(Files.readString(out.resolve("saliency.csv")).startsWith("task,"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("task_arithmetic: accuracy vs λ"), "λ chart per swept method");
        assertTrue(html.contains("<h2>cells</h2>"));
        assertEquals(4, html.split("<svg ", -1).length - 1); // bars, ID-vs-OOD scatter, λ curve, saliency heatmap
        assertTrue(Files.readString(out.resolve("results.md")).contains("## cells"));
        assertFalse(Files.exists(out.resolve("merges")), "merged checkpoints are deleted");
        assertEquals(7, r[2].lines().filter(l -> l.matches("run\\[full\\]: .* s \\(cell [0-9a-f]{16}, \\d/7\\)")).count(), r[2]);
        assertTrue(r[1].contains("| task_arithmetic (weight=1, λ=0.2) | merged |"), r[1]);
    }

    @Test
    void lambdaSweepCellsEqualIndependentlyMergedModels() throws IOException {
        Path f = recipe("sweep", """
                baselines: false
                unseen: {merge: [alpha, beta], heldout: [gamma]}
                methods:
                  - {method: task_arithmetic, params: {weight: 1}, sweep: {lambda: [0.25, 0.6]}}
                  - emr
                """);
        RunEngine.Summary s0 = RunEngine.run(RunPlan.of(RunRecipeParser.parse(f), root.resolve("runs/sweep"), false),
                () -> SuiteKinds.open(RunRecipeParser.parse(f).suite(), root, f.toString()), true);
        List<CellResult> results = new java.util.ArrayList<>(s0.results());
        assertEquals(3, results.size());
        CellResult emr = results.remove(2);
        assertEquals(List.of("alpha", "beta"), List.copyOf(emr.id().keySet()), "EMR: each merged task on its reconstruction");
        assertTrue(emr.unseen().get("gamma").isNaN(), "EMR has no reconstruction for a task it never merged");
        assertEquals("method,kind,alpha,beta,ood:alpha,ood:beta,ood:unseen:gamma,ID avg,OOD avg",
                Files.readAllLines(root.resolve("runs/sweep/results.csv")).get(0));
        Map<String, Path> models = new LinkedHashMap<>();
        TinyTextZoo.TASKS.forEach(t -> models.put(t, root.resolve("models").resolve(t)));
        try (EvaluationSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            for (CellResult cell : results) {
                double lambda = ((Number) cell.cell().params().get("lambda")).doubleValue();
                suite.setWeights(TinyTextZoo.taskArithmetic(root, List.of("alpha", "beta"), lambda));
                for (String t : List.of("alpha", "beta")) {
                    EvaluationSuite.Scores sc = suite.evaluate(t);
                    assertEquals(sc.id().get(t), cell.id().get(t), "λ=" + lambda + " " + t + " ID");
                    assertEquals(sc.ood().get(t), cell.ood().get(t), "λ=" + lambda + " " + t + " OOD");
                }
                assertEquals(suite.evaluateUnseen("gamma").id().get("gamma"), cell.unseen().get("gamma"), "λ=" + lambda + " unseen");
            }
        }
    }

    @Test
    void secondRunRecomputesNothingAndEditsRecomputeOnlyChangedCells() throws IOException {
        String body = """
                tasks: [alpha, beta]
                methods:
                  - {method: task_arithmetic, params: {weight: 1}, sweep: {lambda: [0.1, 0.3]}}
                """;
        Path f = recipe("resume", body);
        Path out = root.resolve("runs/resume");
        AtomicInteger opened = new AtomicInteger();
        RunEngine.Summary first = run(f, out, false, opened);
        assertEquals(4, first.computed());
        assertEquals(1, opened.get());
        Map<Path, FileTime> times = mtimes(out.resolve("cells"));
        assertEquals(4, times.size());

        RunEngine.Summary second = run(f, out, false, opened);
        assertEquals(0, second.computed());
        assertEquals(4, second.reused());
        assertEquals(1, opened.get(), "nothing to compute: the suite is not even opened");
        assertEquals(times, mtimes(out.resolve("cells")));
        assertEquals(first.results().get(2).id(), second.results().get(2).id());
        assertEquals(30, second.report().results().examples("ood:beta"), "n comes back from the cached cells");
        assertEquals(first.results().get(2).examples(), second.results().get(2).examples());

        recipe("resume", body.replace("[0.1, 0.3]", "[0.1, 0.3, 0.5]"));
        assertEquals(1, run(f, out, false, opened).computed(), "one new λ, one new cell");
        Files.delete(times.keySet().iterator().next()); // as if killed before that cell finished
        assertEquals(1, run(f, out, false, opened).computed());
        assertEquals(5, run(f, out, true, opened).computed(), "--fresh recomputes every cell");
    }

    private static RunEngine.Summary run(Path f, Path out, boolean fresh, AtomicInteger opened) {
        RunRecipe r = RunRecipeParser.parse(f);
        return RunEngine.run(RunPlan.of(r, out, fresh), () -> {
            opened.incrementAndGet();
            return SuiteKinds.open(r.suite(), root, f.toString());
        }, true);
    }

    private static Map<Path, FileTime> mtimes(Path dir) throws IOException {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void badRecipesFailWithOneLineNamingFileAndKey() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("methods:\n  - {method: task_arithmetc}\n", "key 'methods[0].method': unknown merge method 'task_arithmetc'; known: [");
        cases.put("methods:\n  - {method: ties, params: {densty: 0.2}}\n", "key 'methods[0].params'");
        cases.put("methods:\n  - {method: ties, params: {density: 0.2}}\n", "ties: needs 'weight' for every model (MergeKit has no default)");
        cases.put("methods:\n  - {method: ties, sweep: {lambda: 0.3}}\n", "key 'methods[0].sweep.lambda': must be a non-empty list");
        cases.put("methods:\n  - {method: emr, lwptv: [null, {score: nope}]}\n", "key 'methods[0].lwptv'");
        cases.put("method: [ties]\n", "unknown key 'method'; known: [");
        cases.put("tasks: [alpha, zeta]\nmethods: [emr]\n", "key 'tasks': unknown task 'zeta'; tasks of the text suite: [alpha, beta, gamma]");
        cases.put("unseen: {merge: [alpha], heldout: [alpha]}\nmethods: [emr]\n", "key 'unseen.heldout'");
        cases.put("methods: []\n", "key 'methods'");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = recipe("bad" + i++, c.getValue().isEmpty() ? "" : c.getKey());
            String[] r = cli("run", f.toString(), "--out", root.resolve("runs/bad").toString());
            assertEquals("2", r[0], c.getKey() + " → " + r[2]);
            List<String> lines = r[2].lines().filter(l -> l.startsWith("amalgam: error:")).toList();
            assertEquals(1, lines.size(), r[2]);
            assertTrue(lines.get(0).contains(f.toString()) && lines.get(0).contains(c.getValue()), lines.get(0));
        }
        Path f = root.resolve("badsuite.yaml");
        Files.writeString(f, "suite: {kind: demo-txt}\nmethods: [emr]\n");
        String[] r = cli("run", f.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(f + ": key 'suite.kind': unknown suite kind 'demo-txt'; known: [clip-tasks, demo-image, demo-text, text]"), r[2]);
    }

    @Test
    void sparkWithoutTheSparkModuleIsOneLine() throws IOException {
        Path f = recipe("nospark", "methods: [emr]\n");
        String[] r = cli("run", f.toString(), "--out", root.resolve("runs/nospark").toString(), "--spark", "local[2]");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--spark: the Spark module is not on the class path"), r[2]);
        assertEquals(1, r[2].lines().filter(l -> l.startsWith("amalgam: error:")).count(), r[2]);
    }
}
