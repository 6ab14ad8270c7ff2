package dev.amalgam.eval.run;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.amalgam.cli.Main;
import dev.amalgam.eval.lm.LmReference;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam eval}: text suite with hand-countable heads, LM metrics against plain-Java log-softmax. */
class EvalCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path otherHead;
    static Path data;
    static final Path GPT2 = Fixtures.dir("gpt2", "tiny");

    @BeforeAll
    static void setUp() throws IOException {
        model = tmp.resolve("clf");
        SyntheticTextSuite.writeModel(model, 16, 1, 2, 32, 1);
        // zero weights: the prediction is the bias's argmax whatever the features, so accuracy is countable by hand
        SyntheticTextSuite.writeHead(model, new float[2][16], new float[] {0f, 1f}, "mean");
        otherHead = Files.createDirectories(tmp.resolve("other"));
        SyntheticTextSuite.writeHead(otherHead, new float[2][16], new float[] {1f, 0f}, "mean");
        data = tmp.resolve("data");
        write(data.resolve("alpha/test.jsonl"), "good movie:1", "bad plot:1", "the actor:0", "a scene:1");
        write(data.resolve("alpha/ood.jsonl"), "long story:0", "not fine:0", "very good:1");
        write(data.resolve("beta/test.jsonl"), "music:0", "awful:1");
        write(data.resolve("beta/ood.jsonl"), "poor:0", "great:0", "short:0", "fine:1");
    }

    static void write(Path file, String... rows) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder();
        for (String r : rows) {
            String[] p = r.split(":");
            sb.append("{\"text\":\"").append(p[0]).append("\",\"label\":").append(p[1]).append("}\n");
        }
        Files.writeString(file, sb.toString());
    }

    static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true));
            rc = Main.execute(args);
        } finally {
            System.setOut(old);
        }
        return new String[] {Integer.toString(rc), buf.toString()};
    }

    @Test
    void textSuiteUsesEachTasksHeadOnTestAndOod() throws IOException {
        Path out = tmp.resolve("suite-out");
        String[] r = run("eval", model.toString(), "--suite", "text", "--data", data.toString(),
                "--head", "beta=" + otherHead, "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        // alpha: always 1 → test 3/4, ood 1/3; beta: always 0 → test 1/2, ood 3/4
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("method,kind,alpha,beta,ood:alpha,ood:beta,ID avg,OOD avg", csv.get(0));
        String[] v = csv.get(1).split(",");
        assertEquals(0.75, Double.parseDouble(v[2]), 1e-12);
        assertEquals(0.5, Double.parseDouble(v[3]), 1e-12);
        assertEquals(1.0 / 3, Double.parseDouble(v[4]), 5e-7); // CSV keeps 6 significant digits (docs/run.md)
        assertEquals(0.75, Double.parseDouble(v[5]), 1e-12);
        assertEquals(0.625, Double.parseDouble(v[6]), 1e-12);
        assertTrue(Files.exists(out.resolve("results.md")));
        assertTrue(r[1].contains("75.0"), r[1]);
    }

    @Test
    void textSuiteTaskAndSplitSelection() throws IOException {
        Path out = tmp.resolve("suite-out2");
        String[] r = run("eval", model.toString(), "--suite", "text", "--data", data.toString(), "--tasks", "beta",
                "--split", "ood", "--limit", "2", "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("method,kind,beta,ood:beta,ID avg,OOD avg", csv.get(0));
        String[] v = csv.get(1).split(",", -1);
        assertTrue(v[2].isEmpty() || v[2].equals("NaN"), csv.get(1)); // test split not evaluated
        assertEquals(0.0, Double.parseDouble(v[3]), 1e-12); // the model's head says 1; the first two ood labels are 0
    }

    @Test
    void perplexityMatchesPlainJavaLogSoftmax() throws IOException {
        Path text = Files.writeString(tmp.resolve("t.txt"), "hello world hello the world");
        Path out = tmp.resolve("ppl");
        String[] r = run("eval", GPT2.toString(), "--lm-perplexity", text.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        double want = 0;
        int n;
        try (NDManager m = NDManager.newBaseManager();
             HuggingFaceTokenizer tok = Tokenizers.causalLm(GPT2);
             CausalLanguageModel lm = ModelRegistry.loadCausalLm(GPT2, m)) {
            long[] ids = tok.encode(Files.readString(text)).getIds();
            assertTrue(ids.length > 2 && ids.length <= 16, "fits the first window of 32 (stride 16)");
            n = ids.length - 1;
            for (int t = 1; t < ids.length; t++) {
                want -= LmReference.logProb(lm, ids, 0, t);
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("lm-perplexity.csv"));
        assertEquals("metric,value,count", csv.get(0));
        assertEquals(want / n, Double.parseDouble(csv.get(1).split(",")[1]), 1e-5);
        assertEquals(Math.exp(want / n), Double.parseDouble(csv.get(2).split(",")[1]), 1e-4 * Math.exp(want / n));
        assertEquals(Integer.toString(n), csv.get(1).split(",")[2]);
        assertTrue(Files.readString(out.resolve("lm-perplexity.md")).contains("perplexity"));
    }

    @Test
    void choiceAndExactWriteTheirTables() throws IOException {
        Path mc = Files.writeString(tmp.resolve("mc.jsonl"),
                "{\"context\":\"hello\",\"choices\":[\" world\",\"\"],\"label\":1}\n");
        Path out = tmp.resolve("mc-out");
        String[] r = run("eval", GPT2.toString(), "--lm-choice", mc.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        List<String> csv = Files.readAllLines(out.resolve("lm-choice.csv"));
        assertEquals("acc,1.0,1", csv.get(1)); // the empty choice has log-likelihood 0, above any other
        Path ex = Files.writeString(tmp.resolve("ex.jsonl"), "{\"prompt\":\"hello world\",\"answer\":\"zzz-not-it\"}\n");
        r = run("eval", GPT2.toString(), "--lm-exact", ex.toString(), "--max-new-tokens", "4", "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        assertEquals("exact_match,0.0,1", Files.readAllLines(out.resolve("lm-exact.csv")).get(1));
    }

    @Test
    void badInputIsExitCode2() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"context\":\"x\",\"choices\":[\"a\"],\"label\":3}\n");
        Path notJson = Files.writeString(tmp.resolve("nj.jsonl"), "{oops\n");
        Path o = tmp.resolve("never");
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--lm-choice", bad.toString(), "--out", o.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--lm-exact", notJson.toString(), "--out", o.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--lm-perplexity", "/nonexistent.txt", "--out", o.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--lm-perplexity", bad.toString(),
                "--lm-exact", bad.toString()));
        Path txt = Files.writeString(tmp.resolve("w.txt"), "hello world");
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--lm-perplexity", txt.toString(),
                "--window", "64", "--out", o.toString())); // the tiny GPT-2 has 32 positions
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "vision", "--data", data.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "text"));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "text", "--data",
                data.toString(), "--tasks", "gamma", "--out", o.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "text", "--data",
                data.toString(), "--split", "train", "--out", o.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", GPT2.toString(), "--suite", "text", "--data",
                data.toString(), "--out", o.toString())); // no head.json
        Path cls = Files.createDirectories(tmp.resolve("cls-head"));
        SyntheticTextSuite.writeHead(cls, new float[2][16], new float[] {0f, 1f}, "max");
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "text", "--data",
                data.toString(), "--head", "alpha=" + cls, "--out", o.toString())); // pooling: auto, mean or cls
        Path narrow = Files.createDirectories(tmp.resolve("narrow-head"));
        SyntheticTextSuite.writeHead(narrow, new float[2][8], new float[] {0f, 1f}, "mean");
        assertEquals(Main.EXIT_BAD_INPUT, Main.execute("eval", model.toString(), "--suite", "text", "--data",
                data.toString(), "--head", "alpha=" + narrow, "--out", o.toString())); // 8 inputs, hidden 16
        assertTrue(!Files.exists(o));
    }

    @Test
    void lmDataErrorsNameFileAndLine() throws IOException {
        Path f = Files.writeString(tmp.resolve("lines.jsonl"),
                "{\"prompt\":\"a\",\"answer\":\"b\"}\n\n{\"prompt\":\"a\",\"answer\":7}\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class,
                () -> dev.amalgam.eval.lm.LmData.prompts(f));
        assertEquals(f + ":3: \"answer\" must be a string", e.getMessage());
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n");
        assertThrows(() -> dev.amalgam.eval.lm.LmData.choices(empty));
        Path txt = Files.writeString(tmp.resolve("doc.txt"), "one text\n{not json}\n");
        assertEquals(List.of("one text\n{not json}\n"), dev.amalgam.eval.lm.LmData.texts(txt));
        Path texts = Files.writeString(tmp.resolve("docs.jsonl"), "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
        assertEquals(List.of("a", "b"), dev.amalgam.eval.lm.LmData.texts(texts));
        Path twoChoices = Files.writeString(tmp.resolve("mc2.jsonl"),
                "{\"context\":\"c\",\"choices\":[\"x\",\"\"],\"label\":1}\n");
        assertEquals(List.of("x", ""), dev.amalgam.eval.lm.LmData.choices(twoChoices).get(0).choices());
        Path nonString = Files.writeString(tmp.resolve("mc3.jsonl"),
                "{\"context\":\"c\",\"choices\":[\"x\",1],\"label\":0}\n");
        assertThrows(() -> dev.amalgam.eval.lm.LmData.choices(nonString));
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class, e);
    }
}
