package dev.amalgam.io.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.cli.Main;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code amalgam convert model.onnx OUT} writes a Hugging Face BertModel directory. */
class OnnxConvertTest {
    @TempDir
    Path tmp;

    @Test
    void convertsThePackagedMiniLmToAHuggingFaceDirectory() throws Exception {
        Path onnx = PackagedEncoders.extract(PackagedEncoders.MINILM, OnnxImporterRealModelTest.DIR);
        Path out = tmp.resolve("minilm-hf");
        assertEquals(0, Main.execute("convert", onnx.toString(), out.toString()));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        assertEquals(Files.size(onnx.resolveSibling("all-minilm-l6-v2-tokenizer.json")),
                Files.size(out.resolve("tokenizer.json")));
        JsonNode cfg = Json.readFile(out.resolve("config.json"));
        assertEquals(384, cfg.get("hidden_size").asInt());
        assertEquals(12, cfg.get("num_attention_heads").asInt());
        assertEquals(6, cfg.get("num_hidden_layers").asInt());
        assertEquals("bert", cfg.get("model_type").asText());
        try (Checkpoint written = Checkpoints.open(out); Checkpoint onnxCk = Checkpoints.open(onnx)) {
            assertEquals("onnx", onnxCk.format());
            assertEquals(onnxCk.names(), written.names());
            assertEquals(6 * 16 + 5, written.names().size());
            for (String n : new String[] {"encoder.layer.4.intermediate.dense.weight", "embeddings.LayerNorm.bias"}) {
                assertArrayEquals(onnxCk.info(n).shape(), written.info(n).shape(), n);
                assertEquals(onnxCk.bytes(n), written.bytes(n), n);
            }
        }
    }

    @Test
    void convertingAFileThatIsNotOnnxExitsWith2() throws Exception {
        Path bad = tmp.resolve("model.onnx");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        assertEquals(2, Main.execute("convert", bad.toString(), tmp.resolve("out").toString()));
    }
}
