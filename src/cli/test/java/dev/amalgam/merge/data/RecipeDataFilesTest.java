package dev.amalgam.merge.data;

import dev.amalgam.cli.CliConsistencyTest;
import dev.amalgam.cli.CliConsistencyTest.Out;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code amalgam merge} of a recipe whose models name their data as files (docs/merging.md#data-aware-methods):
 * tiny Llama fine-tunes with a word-level tokenizer, text and JSONL data; bad data blocks refused with one
 * line naming the recipe file and key, exit 2.
 */
class RecipeDataFilesTest {
    static final Path LLAMA = Path.of("src/testdata/fixtures/llama/llama");
    static final List<String> WORDS = List.of("the", "cat", "dog", "sat", "on", "mat", "a", "red", "blue", "ran",
            "far", "and", "home", "sun", "moon");

    @TempDir
    Path root;

    /** A word-level tokenizer.json over {@link #WORDS} (ids 1 …), unknown words → 0. */
    static String tokenizer() {
        StringBuilder vocab = new StringBuilder("\"<unk>\": 0");
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.append(", \"").append(WORDS.get(i)).append("\": ").append(i + 1);
        }
        return "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, \"added_tokens\": [], \"normalizer\": null, "
                + "\"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"post_processor\": null, \"decoder\": null, "
                + "\"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, \"unk_token\": \"<unk>\"}}";
    }

    /** A copy of the fixture's weights plus seeded Gaussian noise, with its config.json (and a tokenizer for Llama). */
    Path perturbed(Path fixture, String name, long seed, double std) throws IOException {
        TinyCheckpoints.Builder b = TinyCheckpoints.builder().config(Files.readString(fixture.resolve("config.json")));
        if (fixture.equals(LLAMA)) {
            b.file("tokenizer.json", tokenizer());
        }
        Random r = new Random(seed);
        try (Checkpoint c = Checkpoints.open(fixture)) {
            for (String n : c.names()) {
                float[] v = TinyClipTasks.values(c, n);
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (std * r.nextGaussian());
                }
                b.f32(n, c.info(n).shape(), v);
            }
        }
        return b.writeTo(root.resolve(name));
    }

    @BeforeEach
    void zoo() throws IOException {
        perturbed(LLAMA, "base", 0, 0);
        perturbed(LLAMA, "ft-a", 1, 0.05);
        perturbed(LLAMA, "ft-b", 2, 0.05);
        Random r = new Random(3);
        StringBuilder text = new StringBuilder();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String line = sentence(r);
            text.append(line).append(i % 4 == 0 ? "\n\n" : "\n");
            jsonl.append("{\"id\": ").append(i).append(", \"body\": \"").append(sentence(r)).append("\"}\n");
        }
        Files.writeString(root.resolve("a.txt"), text);
        Files.writeString(root.resolve("b.jsonl"), jsonl);
    }

    static String sentence(Random r) {
        StringBuilder s = new StringBuilder();
        for (int w = 0, n = 2 + r.nextInt(9); w < n; w++) {
            s.append(w == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
        }
        return s.toString();
    }

    Path recipe(String method, String params, String dataA, String dataB) throws IOException {
        return Files.writeString(root.resolve("recipe.yaml"), "merge_method: " + method + "\nbase_model: base\nmodels:\n"
                + "  - {model: ft-a, data: " + dataA + "}\n  - {model: ft-b, data: " + dataB + "}\nparameters: " + params + "\n");
    }

    @Test
    void eachDataAwareMethodMergesTinyLlamaFineTunesFromTextFiles() throws IOException {
        String[][] methods = {{"regmean", "{examples: 8, batch_size: 4}"}, {"regmean_plusplus", "{examples: 8, batch_size: 4}"},
                {"fisher_merging", "{examples: 8, batch_size: 4}"}, {"adamerging", "{steps: 3, batch_size: 4, granularity: task}"}};
        for (String[] m : methods) {
            Path recipe = recipe(m[0], m[1], "{file: a.txt, limit: 10, seed: 1}", "{jsonl: b.jsonl, field: body, max_length: 6}");
            Path out = root.resolve("out-" + m[0]);
            Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", out.toString());
            assertEquals(0, o.code(), m[0] + ": " + o.err());
            assertTrue(o.err().contains(m[0] + ": data passes over 2 tasks"), o.err());
            try (Checkpoint c = Checkpoints.open(out)) {
                assertTrue(c.contains("model.layers.1.mlp.down_proj.weight"), m[0]);
                assertEquals(c.names().size(), Checkpoints.open(root.resolve("base")).names().size());
            }
        }
    }

    @Test
    void badDataBlocksAreRefusedWithOneLineNamingTheRecipeAndKey() throws IOException {
        Files.createDirectories(root.resolve("imgs"));
        Files.writeString(root.resolve("empty.txt"), "\n  \n");
        String[][] cases = {
                {"{folder: imgs}", "models[0].data.folder: a folder of images needs a CLIP model; base_model is model_type 'llama'"},
                {"{folder: nowhere}", "models[0].data.folder: " + root.resolve("nowhere") + ": not a directory"},
                {"{file: missing.txt}", "models[0].data.file: " + root.resolve("missing.txt") + ": not a file"},
                {"{file: empty.txt}", "models[0].data.file: " + root.resolve("empty.txt") + ": no examples (the file is empty or blank)"},
                {"{file: a.txt, field: text}", "models[0].data.field: only a jsonl file has fields"},
                {"{file: a.txt, shuffle: true}", "models[0].data: unknown key 'shuffle'"},
                {"{file: a.txt, limit: 0}", "models[0].data.limit: expected an integer ≥ 1"},
                {"{file: a.txt, jsonl: b.jsonl}", "models[0].data: give exactly one of folder, file, jsonl"},
        };
        for (String[] c : cases) {
            Path recipe = recipe("regmean", "{examples: 4}", c[0], "{file: a.txt}");
            Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", root.resolve("never").toString());
            assertEquals(2, o.code(), c[0] + ": " + o.err());
            assertTrue(o.err().contains(recipe + ": " + c[1]), c[0] + " → " + o.err());
            assertEquals(1, o.err().strip().lines().filter(l -> !l.contains(" WARN ai.djl.")).count(), o.err()); // DJL's own log aside
            assertTrue(Files.notExists(root.resolve("never")));
        }
        Files.writeString(root.resolve("recipe.yaml"), "merge_method: regmean\nbase_model: base\nmodels:\n"
                + "  - {model: ft-a, data: {file: a.txt}}\n  - {model: ft-b}\n");
        Out o = CliConsistencyTest.run("merge", root.resolve("recipe.yaml").toString(), "--out", root.resolve("never").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("models[1]: has no data: block but other models do"), o.err());
    }

    /** Random RGB images of assorted sizes (the eval transforms resize and crop them), nested folders included. */
    void images(Path dir, int n, long seed) throws IOException {
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(20 + r.nextInt(40), 20 + r.nextInt(40),
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < im.getHeight(); y++) {
                for (int x = 0; x < im.getWidth(); x++) {
                    im.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            Path f = dir.resolve(i % 2 == 0 ? "x" : "y").resolve(i + ".png");
            Files.createDirectories(f.getParent());
            javax.imageio.ImageIO.write(im, "png", f.toFile());
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image");
    }

    @Test
    void clipFineTunesMergeFromImageFoldersAndFisherWithoutHeadsIsRefused() throws IOException {
        perturbed(TinyClipTasks.FIXTURE, "clip-base", 0, 0);
        perturbed(TinyClipTasks.FIXTURE, "clip-a", 1, 0.05);
        perturbed(TinyClipTasks.FIXTURE, "clip-b", 2, 0.05);
        images(root.resolve("imgs-a"), 7, 4);
        images(root.resolve("imgs-b"), 5, 5);
        for (String method : List.of("regmean", "regmean_plusplus", "fisher_merging")) {
            Path recipe = Files.writeString(root.resolve("clip.yaml"), "merge_method: " + method + "\nbase_model: clip-base\n"
                    + "models:\n  - {model: clip-a, data: {folder: imgs-a, limit: 6, seed: 2}}\n"
                    + "  - {model: clip-b, data: {folder: imgs-b}}\nparameters: {examples: 6, batch_size: 4}\n");
            Path out = root.resolve("out-clip-" + method);
            Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", out.toString());
            if (method.equals("fisher_merging")) {
                assertEquals(2, o.code(), o.err());
                assertTrue(o.err().contains("fisher_merging: needs each task's predictive distribution; task 'clip-a' has "
                        + "images but no zero-shot head"), o.err());
                continue;
            }
            assertEquals(0, o.code(), method + ": " + o.err());
            assertFalse(o.err().contains("split="), "file data has no split: " + o.err());
            try (Checkpoint c = Checkpoints.open(out)) {
                assertTrue(c.contains("vision_model.encoder.layers.1.mlp.fc2.weight"));
            }
        }
        Files.createDirectories(root.resolve("no-images"));
        Files.writeString(root.resolve("no-images/readme.txt"), "text only");
        Path recipe = Files.writeString(root.resolve("clip.yaml"), "merge_method: regmean\nbase_model: clip-base\nmodels:\n"
                + "  - {model: clip-a, data: {folder: no-images}}\n  - {model: clip-b, data: {file: a.txt}}\n");
        Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", root.resolve("never").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(recipe + ": models[1].data.file: text data needs a BERT-family encoder or a decoder LM"),
                o.err());
        Files.writeString(recipe, "merge_method: regmean\nbase_model: clip-base\nmodels:\n"
                + "  - {model: clip-a, data: {folder: no-images}}\n  - {model: clip-b, data: {folder: imgs-b}}\n");
        o = CliConsistencyTest.run("merge", recipe.toString(), "--out", root.resolve("never").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(recipe + ": models[0].data.folder: " + root.resolve("no-images") + ": no images"), o.err());
    }

    /**
     * A folder that names its classes gets a zero-shot head, so Fisher merging and AdaMerging run on it.
     * Fisher merging is a per-element convex combination Σ_t c_t F_t θ_t / Σ_t c_t F_t: every merged value lies
     * between the fine-tunes' values. The text tower gets no gradient (the heads are fixed), so there the
     * Fisher floor is the same for every task and the merge is the plain average (1/T) Σ_t θ_t.
     */
    @Test
    void clipFoldersThatNameTheirClassesGetZeroShotHeadsForFisherAndAdaMerging() throws IOException {
        Path base = perturbed(TinyClipTasks.FIXTURE, "clip-base", 0, 0);
        images(root.resolve("imgs-a"), 7, 4);
        Path headless = Files.writeString(root.resolve("headless.yaml"), "merge_method: fisher_merging\nbase_model: clip-base\n"
                + "models:\n  - {model: clip-a, data: {folder: imgs-a, classes: [cat, dog]}}\n  - {model: clip-b, data: {folder: imgs-a}}\n");
        Out noTokenizer = CliConsistencyTest.run("merge", headless.toString(), "--out", root.resolve("never").toString());
        assertEquals(2, noTokenizer.code(), noTokenizer.err());
        assertTrue(noTokenizer.err().contains(headless + ": models[0].data.classes: " + base.resolve("tokenizer.json")
                + " not found (a zero-shot head is built with the base model's text tower and tokenizer)"), noTokenizer.err());
        Files.copy(TinyClipTasks.FIXTURE.getParent().getParent().resolve("tokenizers/clip/tokenizer.json"), base.resolve("tokenizer.json"));
        perturbed(TinyClipTasks.FIXTURE, "clip-a", 1, 0.05);
        perturbed(TinyClipTasks.FIXTURE, "clip-b", 2, 0.05);
        images(root.resolve("imgs-b"), 5, 5);
        String models = "models:\n  - {model: clip-a, data: {folder: imgs-a, classes: [cat, dog]}}\n"
                + "  - {model: clip-b, data: {folder: imgs-b, classes: [red, green, blue], templates: ['a {} thing', 'the {}']}}\n";
        Path recipe = Files.writeString(root.resolve("fisher.yaml"), "merge_method: fisher_merging\nbase_model: clip-base\n"
                + models + "parameters: {examples: 6, batch_size: 4}\n");
        Path out = root.resolve("out-fisher");
        Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertFalse(o.err().contains("split="), o.err());
        int moved = 0;
        try (Checkpoint merged = Checkpoints.open(out); Checkpoint a = Checkpoints.open(root.resolve("clip-a"));
             Checkpoint b = Checkpoints.open(root.resolve("clip-b"))) {
            for (String n : merged.names()) {
                float[] m = TinyClipTasks.values(merged, n);
                float[] x = TinyClipTasks.values(a, n);
                float[] y = TinyClipTasks.values(b, n);
                for (int i = 0; i < m.length; i++) {
                    float lo = Math.min(x[i], y[i]);
                    float hi = Math.max(x[i], y[i]);
                    float tol = 1e-6f * Math.max(1f, Math.abs(hi));
                    assertTrue(m[i] >= lo - tol && m[i] <= hi + tol, n + "[" + i + "] = " + m[i] + " outside [" + lo + ", " + hi + "]");
                    if (n.startsWith("text_model.")) {
                        assertEquals((x[i] + y[i]) / 2, m[i], 1e-6f * Math.max(1f, Math.abs(m[i])), n + "[" + i + "]");
                    } else if (Math.abs(m[i] - (x[i] + y[i]) / 2) > 1e-4f) {
                        moved++;
                    }
                }
            }
        }
        assertTrue(moved > 100, "the vision tower's Fisher weights should move it off the average; " + moved + " values moved");
        Files.writeString(recipe, "merge_method: adamerging\nbase_model: clip-base\n" + models
                + "parameters: {steps: 2, batch_size: 4, granularity: task}\n");
        o = CliConsistencyTest.run("merge", recipe.toString(), "--out", root.resolve("out-ada").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("data=models[].data"), o.err());
    }

    @Test
    void zeroShotHeadKeysAreCheckedWithOneLineNamingTheKey() throws IOException {
        perturbed(TinyClipTasks.FIXTURE, "clip-base", 0, 0);
        perturbed(TinyClipTasks.FIXTURE, "clip-a", 1, 0.05);
        perturbed(TinyClipTasks.FIXTURE, "clip-b", 2, 0.05);
        images(root.resolve("imgs"), 4, 4);
        Path recipe = root.resolve("bad.yaml");
        String[][] cases = {
                {"{folder: imgs, task: cifar10, classes: [a, b]}", "models[0].data.task: a suite task brings its own classes"},
                {"{folder: imgs, templates: ['a {}']}", "models[0].data.templates: give classes too"},
                {"{folder: imgs, task: no_such_task}", "models[0].data.task: unknown task 'no_such_task'"},
                {"{folder: imgs, classes: [a]}", "models[0].data.classes: expected a list of at least 2 strings"},
                {"{folder: imgs, classes: [a, a]}", "models[0].data.classes: a class is named twice"},
                {"{folder: imgs, classes: [a, b], templates: [no placeholder]}", "models[0].data.templates: 'no placeholder' has no {}"},
        };
        for (String[] c : cases) {
            Files.writeString(recipe, "merge_method: fisher_merging\nbase_model: clip-base\nmodels:\n  - {model: clip-a, data: "
                    + c[0] + "}\n  - {model: clip-b, data: {folder: imgs, task: cifar10}}\n");
            Out o = CliConsistencyTest.run("merge", recipe.toString(), "--out", root.resolve("never").toString());
            assertEquals(2, o.code(), c[0] + ": " + o.err());
            assertTrue(o.err().contains(recipe + ": " + c[1]), c[0] + ": " + o.err());
            assertTrue(Files.notExists(root.resolve("never")));
        }
    }
}
