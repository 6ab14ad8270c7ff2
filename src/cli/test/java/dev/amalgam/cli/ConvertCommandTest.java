package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.RawSafetensors;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    private static final Path FIXTURE = Path.of("src/testdata/fixtures/dtypes_torch.safetensors");

    private static byte[] bytes(Checkpoint c, String name) {
        byte[] b = new byte[c.bytes(name).remaining()];
        c.bytes(name).get(b);
        return b;
    }

    /** Equal 16-bit patterns, except that any NaN matches any NaN (torch 1.13 writes bf16 NaN as 0x7FFF, we 0x7FC0). */
    private static void assertSameHalfBits(byte[] expected, byte[] got, int expMask) {
        assertEquals(expected.length, got.length);
        for (int i = 0; i < expected.length; i += 2) {
            int e = (expected[i] & 0xff) | (expected[i + 1] & 0xff) << 8;
            int g = (got[i] & 0xff) | (got[i + 1] & 0xff) << 8;
            int mant = ~expMask & 0x7fff;
            boolean eNan = (e & expMask) == expMask && (e & mant) != 0;
            boolean gNan = (g & expMask) == expMask && (g & mant) != 0;
            if (eNan || gNan) {
                assertTrue(eNan && gNan, "NaN at element " + i / 2);
            } else {
                assertEquals(e, g, "element " + i / 2);
            }
        }
    }

    /** Casting F32 to BF16/F16 gives exactly the bits torch produced for the same values. */
    @Test
    void castMatchesTorch() {
        RawSafetensors.Parsed torch = RawSafetensors.parse(FIXTURE);
        for (String[] c : new String[][] {{"bf16", "c_bf16", "BF16"}, {"f16", "b_f16", "F16"}}) {
            Path out = tmp.resolve("out-" + c[0]);
            CliRunner.Result r = CliRunner.run("convert", FIXTURE.toString(), out.toString(), "--dtype", c[0]);
            assertEquals(0, r.exitCode(), r.err());
            try (Checkpoint conv = Checkpoints.open(out)) {
                assertEquals(DType.valueOf(c[2]), conv.info("a_f32").dtype());
                assertSameHalfBits(torch.tensorBytes(c[1]), bytes(conv, "a_f32"), c[2].equals("F16") ? 0x7C00 : 0x7F80);
                assertEquals("0.1.0", conv.metadata().get("amalgam_version"));
                assertEquals(64, conv.metadata().get("inputs_sha256").length());
                assertEquals("quick", conv.metadata().get("inputs_hash_mode"));
            }
        }
    }

    @Test
    void reshardCopiesSideFilesAndRoundTrips() throws Exception {
        float[] v = TinyCheckpoints.randomFloats(5, 64, 1f);
        Path in = TinyCheckpoints.builder()
                .f32("model.layers.0.w", new long[] {8, 8}, v)
                .f32("model.layers.1.w", new long[] {8, 8}, v)
                .f32("model.norm.weight", new long[] {8}, java.util.Arrays.copyOf(v, 8))
                .config("{\"model_type\":\"llama\",\"torch_dtype\":\"float32\"}")
                .file("tokenizer.json", "{\"t\":1}")
                .file("generation_config.json", "{}")
                .writeTo(tmp.resolve("in"));
        Path sharded = tmp.resolve("sharded");
        CliRunner.Result r = CliRunner.run("convert", in.toString(), sharded.toString(), "--max-shard-size", "200B",
                "--dtype", "bf16", "--full-hash");
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> s = Files.list(sharded)) {
            assertEquals(List.of("config.json", "generation_config.json", "model-00001-of-00002.safetensors",
                    "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        JsonNode cfg = new ObjectMapper().readTree(sharded.resolve("config.json").toFile());
        assertEquals("bfloat16", cfg.get("torch_dtype").asText());
        assertEquals("llama", cfg.get("model_type").asText());
        assertEquals("{\"t\":1}", Files.readString(sharded.resolve("tokenizer.json")));

        Path back = tmp.resolve("back");
        r = CliRunner.run("convert", sharded.toString(), back.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (Checkpoint a = Checkpoints.open(sharded); Checkpoint b = Checkpoints.open(back)) {
            assertEquals("sharded-safetensors", a.format());
            assertEquals("safetensors", b.format());
            assertEquals("full", a.metadata().get("inputs_hash_mode"));
            for (String n : a.names()) {
                assertEquals(DType.BF16, b.info(n).dtype());
                assertArrayEquals(bytes(a, n), bytes(b, n), n);
            }
            assertTrue(Files.exists(back.resolve("tokenizer.json")));
        }
    }
}
