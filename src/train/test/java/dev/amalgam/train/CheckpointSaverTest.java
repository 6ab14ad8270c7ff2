package dev.amalgam.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointSaverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void writesBackboneHeadAndSideFilesReadableBySafetensorsLayout() throws IOException {
        Path pretrained = Files.createDirectory(tmp.resolve("base"));
        Files.writeString(pretrained.resolve("config.json"), "{\"model_type\":\"bert\"}");
        Files.writeString(pretrained.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
        Path out = tmp.resolve("ft");
        try (TinyMlp model = new TinyMlp(3, 4, 2, 1)) {
            CheckpointSaver.save(out, model, pretrained, DType.F32, List.of("neg", "pos"), Map.of("best_val_accuracy", 0.75));

            Map<String, float[]> backbone = readF32(out.resolve("model.safetensors"));
            assertEquals(List.of("encoder.bias", "encoder.weight"), List.copyOf(backbone.keySet()));
            assertArrayEquals(model.backboneParameters().get("encoder.weight").getArray().toFloatArray(),
                    backbone.get("encoder.weight"), 0f);
            assertArrayEquals(model.backboneParameters().get("encoder.bias").getArray().toFloatArray(),
                    backbone.get("encoder.bias"), 0f);
            Map<String, float[]> head = readF32(out.resolve("head.safetensors"));
            assertArrayEquals(model.headParameters().get("classifier.weight").getArray().toFloatArray(),
                    head.get("classifier.weight"), 0f);
        }
        JsonNode headJson = JSON.readTree(out.resolve("head.json").toFile());
        assertEquals("neg", headJson.get("labels").get(0).asText());
        assertEquals("pos", headJson.get("labels").get(1).asText());
        assertEquals(2, headJson.get("num_labels").asInt());
        assertEquals(0.75, headJson.get("best_val_accuracy").asDouble(), 0);
        assertEquals("{\"model_type\":\"bert\"}", Files.readString(out.resolve("config.json")));
        assertTrue(Files.exists(out.resolve("vocab.txt")));
        try (var s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no partial directory left behind");
        }
    }

    @Test
    void headReadsBackAsLinearHeadInBf16Too() throws IOException {
        Path out = tmp.resolve("bf16");
        try (TinyMlp model = new TinyMlp(3, 4, 2, 1)) {
            CheckpointSaver.save(out, model, null, DType.BF16, List.of("neg", "pos"),
                    Map.of("model_options", Map.of("pooling", "mean")));
            FineTunedHead head = FineTunedHead.read(out);
            assertEquals(List.of("neg", "pos"), head.labels());
            assertEquals("mean", head.pooling());
            float[] w = model.headParameters().get("classifier.weight").getArray().toFloatArray();
            float[] b = model.headParameters().get("classifier.bias").getArray().toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 4; j++) {
                    // bf16 keeps 8 significant bits: relative error below 2^-8
                    assertEquals(w[c * 4 + j], head.weight()[c][j], Math.abs(w[c * 4 + j]) / 256 + 1e-30);
                }
                assertEquals(b[c], head.bias()[c], Math.abs(b[c]) / 256 + 1e-30);
            }
            float[] f = {0.5f, -1f, 2f, 0.25f};
            float[] logits = head.toLinearHead().logits(f);
            for (int c = 0; c < 2; c++) {
                double want = head.bias()[c];
                for (int j = 0; j < 4; j++) {
                    want += head.weight()[c][j] * f[j];
                }
                assertEquals(want, logits[c], 1e-5);
            }
        }
    }

    @Test
    void refusesNonEmptyOutput() throws IOException {
        Path out = Files.createDirectory(tmp.resolve("busy"));
        Files.writeString(out.resolve("x"), "x");
        try (TinyMlp model = new TinyMlp(3, 4, 2, 1)) {
            AmalgamException e = assertThrows(AmalgamException.class,
                    () -> CheckpointSaver.save(out, model, null, DType.F32, List.of("a", "b"), Map.of()));
            assertTrue(e.getMessage().contains("busy"));
        }
        assertFalse(Files.exists(out.resolve("model.safetensors")));
    }

    /** Reads an all-F32 safetensors file following the format description, checking offsets. */
    private static Map<String, float[]> readF32(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = all.getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        JsonNode header = JSON.readTree(new String(all.array(), 8, (int) n, StandardCharsets.UTF_8));
        assertEquals("pt", header.get("__metadata__").get("format").asText());
        Map<String, float[]> out = new java.util.TreeMap<>();
        long expectedStart = 0;
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            assertEquals("F32", e.getValue().get("dtype").asText());
            long start = e.getValue().get("data_offsets").get(0).asLong();
            long end = e.getValue().get("data_offsets").get(1).asLong();
            assertEquals(expectedStart, start, "contiguous data in name order");
            long numel = 1;
            for (JsonNode d : e.getValue().get("shape")) {
                numel *= d.asLong();
            }
            assertEquals(numel * 4, end - start);
            float[] v = new float[(int) numel];
            for (int i = 0; i < v.length; i++) {
                v[i] = all.getFloat((int) (8 + n + start + 4L * i));
            }
            out.put(e.getKey(), v);
            expectedStart = end;
        }
        assertEquals(all.capacity(), 8 + n + expectedStart, "file ends with the last tensor");
        return out;
    }
}
