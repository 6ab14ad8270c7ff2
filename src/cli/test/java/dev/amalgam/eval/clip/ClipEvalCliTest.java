package dev.amalgam.eval.clip;

import dev.amalgam.testutil.CliRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code amalgam eval MODEL --suite ...} end to end on the tiny CLIP fixtures: a fine-tuned vision tower
 * scored with the pre-trained model's heads, the table printed and written; bad inputs exit 2 with one line.
 */
class ClipEvalCliTest {
    @TempDir
    static Path tmp;
    static Path pre;
    static Path ft;
    static Path root;
    static Path catalog;
    static TinyClipTasks.Reference refFt;
    static TinyClipTasks.Split mnist;

    @BeforeAll
    static void build() {
        pre = TinyClipTasks.clip(tmp.resolve("pre"), 1);
        ft = TinyClipTasks.clip(tmp.resolve("ft"), 2);
        catalog = TinyClipTasks.catalog(tmp.resolve("catalog"), TinyClipTasks.TEMPLATES.get("eurosat"));
        refFt = new TinyClipTasks.Reference(ft, pre);
        root = tmp.resolve("data");
        mnist = TinyClipTasks.writeSplit(root, "mnist", "test", 12, 3, 21, refFt);
        TinyClipTasks.writeSplit(root, "eurosat", "test", 8, 4, 22, refFt);
    }

    @AfterAll
    static void close() {
        refFt.close();
    }

    @Test
    void evaluatesAFineTunedModelWithPretrainedHeadsAndWritesTheReport() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("eval", ft.toString(), "--suite", "mini", "--suites-dir", catalog.toString(),
                "--data-root", root.toString(), "--heads-from", pre.toString(), "--corruptions", "contrast",
                "--severity", "4", "--batch-size", "5", "--head-cache", tmp.resolve("heads").toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String f : List.of("results.csv", "results.md", "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // Data labelled so that ft's vision + pre's text heads are right on exactly 8 of 12 mnist images.
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.contains("mnist") && csv.contains("ood:eurosat/contrast"), csv);
        String row = csv.lines().filter(l -> l.startsWith("ft,")).findFirst().orElseThrow();
        double expected = refFt.accuracy("mnist", mnist.images(), mnist.labels(), null, 0, new int[12])[0];
        assertEquals(8.0 / 12, expected, 1e-12);
        String header = csv.lines().findFirst().orElseThrow();
        int col = List.of(header.split(",")).indexOf("mnist");
        assertEquals(expected, Double.parseDouble(row.split(",")[col]), 1e-4, row);
        assertTrue(r.out().contains("mnist"), r.out());
        assertTrue(r.err().contains("heads 2 built"), r.err());
    }

    static void assertBadInput(String mention, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(mention), r.err());
    }

    @Test
    void badInputsExitTwoWithOneLine() throws Exception {
        String cache = tmp.resolve("heads-bad").toString();
        assertBadInput("no local data for task svhn", "eval", pre.toString(), "--suite", "ta8", "--tasks", "svhn",
                "--data-root", root.toString(), "--head-cache", cache);
        assertBadInput("3 classes but task mnist has 10", "eval", pre.toString(), "--suite", "clip", "--tasks", "mnist",
                "--data-root", root.toString(), "--head-cache", cache);
        Path gpt = Files.createDirectories(tmp.resolve("gpt"));
        Files.writeString(gpt.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertBadInput("is not CLIP", "eval", gpt.toString(), "--suite", "ta8", "--data-root", root.toString());
        assertBadInput("needs --data-root", "eval", pre.toString(), "--suite", "tall14");
        assertBadInput("unknown task suite", "eval", pre.toString(), "--suite", "ta9", "--data-root", root.toString(),
                "--head-cache", cache);
        assertBadInput("unknown corruption", "eval", pre.toString(), "--suite", "ta8", "--data-root", root.toString(),
                "--corruptions", "fog");
    }
}
