package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.RawSafetensors;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspect --json} on a hand-built checkpoint whose figures are counted by hand below. */
class InspectCommandTest {
    @TempDir
    Path tmp;

    @Test
    void jsonSummary() throws Exception {
        // name, dtype, shape, bytes:      params  bytes
        // bert.embeddings.word_embeddings.weight F32 [10,4]      40    160
        // bert.encoder.layer.0.attention.self.query.bias BF16 [4]  4      8
        // bert.encoder.layer.0.attention.self.query.weight BF16 [4,4] 16 32
        // bert.encoder.layer.1.output.dense.weight F16 [4,4]     16     32
        // position_ids I64 [1,10]                                 10     80
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand-made\"},"
                + "\"bert.embeddings.word_embeddings.weight\":{\"dtype\":\"F32\",\"shape\":[10,4],\"data_offsets\":[0,160]},"
                + "\"bert.encoder.layer.0.attention.self.query.bias\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[160,168]},"
                + "\"bert.encoder.layer.0.attention.self.query.weight\":{\"dtype\":\"BF16\",\"shape\":[4,4],\"data_offsets\":[168,200]},"
                + "\"bert.encoder.layer.1.output.dense.weight\":{\"dtype\":\"F16\",\"shape\":[4,4],\"data_offsets\":[200,232]},"
                + "\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,10],\"data_offsets\":[232,312]}}";
        Path dir = tmp.resolve("m");
        RawSafetensors.write(dir.resolve("model.safetensors"), header, new byte[312]);
        TinyCheckpoints.writeString(dir.resolve("config.json"), "{\"model_type\":\"bert\",\"hidden_size\":4}");
        TinyCheckpoints.writeString(dir.resolve("tokenizer.json"), "{}");
        TinyCheckpoints.writeString(dir.resolve("vocab.txt"), "a\n");

        CliRunner.Result r = CliRunner.run("inspect", dir.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("safetensors", j.get("format").asText());
        assertEquals(5, j.get("tensors").asInt());
        assertEquals(86, j.get("parameters").asLong());
        assertEquals(312, j.get("bytes").asLong());
        assertEquals(1, j.get("dtypes").get("F32").get("tensors").asInt());
        assertEquals(2, j.get("dtypes").get("BF16").get("tensors").asInt());
        assertEquals(20, j.get("dtypes").get("BF16").get("parameters").asLong());
        assertEquals(32, j.get("dtypes").get("F16").get("bytes").asLong());
        assertEquals(80, j.get("dtypes").get("I64").get("bytes").asLong());
        List<String> groups = new ArrayList<>();
        j.get("groups").forEach(g -> groups.add(g.get("group").asText() + "=" + g.get("tensors").asInt() + "/"
                + g.get("parameters").asLong()));
        assertEquals(List.of("bert.embeddings=1/40", "bert.encoder.layer.0=2/20", "bert.encoder.layer.1=1/16",
                "position_ids=1/10"), groups);
        assertEquals(5, j.get("shards").get("model.safetensors").get("tensors").asInt());
        assertEquals(312, j.get("shards").get("model.safetensors").get("bytes").asLong());
        assertEquals("hand-made", j.get("metadata").get("note").asText());
        assertEquals("bert", j.get("config").get("model_type").asText());
        assertEquals(List.of("tokenizer.json", "vocab.txt"),
                List.of(j.get("aux_files").get(0).asText(), j.get("aux_files").get(1).asText()));

        CliRunner.Result text = CliRunner.run("inspect", dir.toString());
        assertEquals(0, text.exitCode());
        assertTrue(text.out().contains("bert.encoder.layer.1"), text.out());
        assertTrue(text.out().contains("86"), text.out());
    }
}
