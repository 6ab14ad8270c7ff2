package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.DType;
import dev.amalgam.io.DTypeConversion;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that need a model, given an EMR/TALL output (a modulated directory), say what it is and
 * what to run; inspect describes it. And convert keeps a fine-tune's head files.
 */
class ModulatedOutputCliTest {
    @TempDir
    static Path tmp;
    static Path emr;

    @BeforeAll
    static void mergeWithEmr() {
        HfLayoutMergeTest.Model base = HfLayoutMergeTest.Model.random(HfLayoutMergeTest.BERT, 1, 0.5f);
        Path b = base.write(tmp.resolve("base"), HfLayoutMergeTest.BERT_MODEL);
        Path x = base.fineTune(2).write(tmp.resolve("sst2"), HfLayoutMergeTest.BERT_MODEL);
        Path y = base.fineTune(3).write(tmp.resolve("cola"), HfLayoutMergeTest.BERT_MODEL);
        emr = tmp.resolve("emr");
        CliRunner.Result r = CliRunner.run("merge", "--method", "emr", "--base", b.toString(), "--models", x + "," + y,
                "--out", emr.toString());
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void inspectDescribesIt() throws Exception {
        CliRunner.Result r = CliRunner.run("inspect", emr.toString());
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("format      modulated"), out);
        assertTrue(out.contains("method      emr"), out);
        assertTrue(out.contains("tensors     9 shared"), out);
        assertTrue(out.contains("sst2") && out.contains("cola"), out);
        assertTrue(out.contains("amalgam materialize " + emr + " --task <sst2|cola> --out OUT"), out);

        r = CliRunner.run("inspect", emr.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = Json.parse(r.out(), "inspect --json");
        assertEquals("modulated", j.path("format").asText());
        assertEquals("emr", j.path("method").asText());
        assertEquals(9, j.path("tensors").asInt());
        assertEquals("sst2", j.path("tasks").get(0).path("name").asText());
        assertEquals(9, j.path("tasks").get(1).path("mask_tensors").asInt());
        assertEquals(List.of("amalgam_recipe.yml"), List.of(j.path("side_files").get(0).asText()));
    }

    @Test
    void evalAndEmbedNameTheDirectoryAndTheMaterializeCommand() {
        String hint = "amalgam materialize " + emr + " --task <sst2|cola> --out";
        HfLayoutMergeTest.assertOneLineError(CliRunner.run("eval", emr.toString(), "--suite", "text", "--data",
                tmp.toString()), emr + ": an EMR/TALL merge output (method emr, tasks sst2, cola)", hint);
        HfLayoutMergeTest.assertOneLineError(CliRunner.run("eval", emr.toString(), "--lm-perplexity",
                tmp.resolve("x.txt").toString()), hint);
        HfLayoutMergeTest.assertOneLineError(CliRunner.run("embed", emr.toString(), "a sentence"), emr.toString(), hint);
        // every command that opens a model says the same (here: convert, generate)
        HfLayoutMergeTest.assertOneLineError(CliRunner.run("convert", emr.toString(), tmp.resolve("c").toString()), hint);
        HfLayoutMergeTest.assertOneLineError(CliRunner.run("generate", emr.toString(), "hi"), hint);
    }

    @Test
    void convertKeepsHeadFiles() throws Exception {
        Path ft = TinyCheckpoints.builder()
                .f32("encoder.layer.0.attention.self.query.weight", new long[] {2, 2}, 1, 2, 3, 4)
                .config("{\"model_type\":\"bert\",\"architectures\":[\"BertModel\"]}")
                .file("tokenizer.json", "{}")
                .file("head.json", "{\"labels\":[\"no\",\"yes\"],\"num_labels\":2,\"tensors\":[\"classifier.weight\",\"classifier.bias\"]}")
                .file("heads/spam/head.json", "{\"task\":\"spam\"}")
                .writeTo(tmp.resolve("ft"));
        byte[] head = headFile();
        Files.write(ft.resolve("head.safetensors"), head);
        Files.write(ft.resolve("heads/spam/head.safetensors"), head);
        Path out = tmp.resolve("ft-bf16");
        CliRunner.Result r = CliRunner.run("convert", ft.toString(), out.toString(), "--dtype", "bf16");
        assertEquals(0, r.exitCode(), r.err());
        for (String n : List.of("head.json", "head.safetensors", "heads/spam/head.json", "heads/spam/head.safetensors")) {
            assertArrayEquals(Files.readAllBytes(ft.resolve(n)), Files.readAllBytes(out.resolve(n)), n);
        }
        assertEquals(List.of("no", "yes"), dev.amalgam.train.FineTunedHead.read(out).labels());
        r = CliRunner.run("inspect", out.toString(), "--json");
        assertEquals("head.json", Json.parse(r.out(), "inspect").path("head_files").get(0).asText());
    }

    /** classifier.weight [2, 2] + classifier.bias [2], F32. */
    private static byte[] headFile() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(SafetensorsHeaderWriter.encode(List.of(new TensorInfo("classifier.bias", DType.F32, new long[] {2}),
                new TensorInfo("classifier.weight", DType.F32, new long[] {2, 2})), Map.of()));
        for (float[] v : new float[][] {{0.5f, -0.5f}, {1, 0, 0, 1}}) {
            ByteBuffer x = DTypeConversion.fromFloatArray(v, DType.F32);
            byte[] a = new byte[x.remaining()];
            x.get(a);
            b.writeBytes(a);
        }
        return b.toByteArray();
    }
}
