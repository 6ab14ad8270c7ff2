package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedWriterTest {
    @TempDir
    Path tmp;

    private static TensorInfo f32(String name, long... shape) {
        return new TensorInfo(name, DType.F32, shape);
    }

    private static ByteBuffer zeros(TensorInfo t) {
        return ByteBuffer.allocate((int) t.byteSize());
    }

    private List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shardsGreedilyInNameOrderAndWritesIndex() throws Exception {
        // 40-byte tensors a..e with a 100-byte limit: [a b] [c d] [e]; big (200 B) goes alone.
        List<TensorInfo> plan = List.of(f32("e", 10), f32("a", 10), f32("c", 10), f32("b", 10), f32("d", 10),
                f32("big", 50));
        Path out = tmp.resolve("out");
        try (ShardedWriter w = new ShardedWriter(out, plan, 100, Map.of("recipe_sha256", "r"), List.of())) {
            for (String n : List.of("a", "b", "big", "c", "d", "e")) {
                TensorInfo t = plan.stream().filter(p -> p.name().equals(n)).findFirst().orElseThrow();
                float[] v = new float[(int) t.numel()];
                java.util.Arrays.fill(v, n.hashCode());
                w.write(n, DTypeConversion.fromFloatArray(v, DType.F32));
            }
            w.writeFile("config.json", "{\"model_type\":\"x\"}".getBytes());
            w.commit();
        }
        assertEquals(List.of("config.json", "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors", "model.safetensors.index.json"),
                listing(out));
        JsonNode idx = new ObjectMapper().readTree(out.resolve("model.safetensors.index.json").toFile());
        assertEquals(5 * 40 + 200, idx.get("metadata").get("total_size").asLong());
        assertEquals("model-00001-of-00004.safetensors", idx.get("weight_map").get("a").asText());
        assertEquals("model-00001-of-00004.safetensors", idx.get("weight_map").get("b").asText());
        assertEquals("model-00002-of-00004.safetensors", idx.get("weight_map").get("big").asText());
        assertEquals("model-00003-of-00004.safetensors", idx.get("weight_map").get("c").asText());
        assertEquals("model-00004-of-00004.safetensors", idx.get("weight_map").get("e").asText());
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals("sharded-safetensors", c.format());
            assertEquals(List.of("a", "b", "big", "c", "d", "e"), c.names());
            assertEquals("x", c.config().get("model_type").asText());
            float[] e = DTypeConversion.toFloatArray(c.bytes("e"), DType.F32);
            assertEquals((float) "e".hashCode(), e[9]);
            assertEquals("r", c.metadata().get("recipe_sha256"));
        }
        assertEquals(List.of("out"), listing(tmp), "no temporary directory left");
    }

    @Test
    void outOfOrderWriteIsRefusedAndCloseWithoutCommitLeavesNothing() throws Exception {
        Path out = tmp.resolve("out");
        List<TensorInfo> plan = List.of(f32("a", 2), f32("b", 2));
        try (ShardedWriter w = new ShardedWriter(out, plan, 1000, Map.of(), List.of())) {
            assertThrows(IllegalStateException.class, () -> w.write("b", zeros(plan.get(1))));
            w.write("a", zeros(plan.get(0)));
            assertThrows(IllegalStateException.class, () -> w.write("b", ByteBuffer.allocate(3)));
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertEquals(List.of(), listing(tmp));
    }

    @Test
    void refusesNonEmptyOutputAndInputs() throws Exception {
        Path in = TinyCheckpoints.builder().f32("w", new long[] {2}, 1, 2).writeTo(tmp.resolve("in"));
        List<TensorInfo> plan = List.of(f32("w", 2));
        AmalgamException e = assertThrows(AmalgamException.class,
                () -> new ShardedWriter(in, plan, 100, Map.of(), List.of()));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        Path file = in.resolve("model.safetensors");
        e = assertThrows(AmalgamException.class,
                () -> new ShardedWriter(tmp.resolve("in/../in"), plan, 100, Map.of(), List.of(file)));
        assertTrue(e.getMessage().contains("overwrite input"), e.getMessage());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        try (ShardedWriter w = new ShardedWriter(empty, plan, 100, Map.of(), List.of(file))) {
            w.write("w", zeros(plan.get(0)));
            w.commit();
        }
        assertEquals(List.of("model.safetensors"), listing(empty));
        assertEquals(List.of("empty", "in"), listing(tmp));
    }

    @Test
    void tinyCheckpointHelperWritesReadableDirectories() {
        Path dir = TinyCheckpoints.builder()
                .f32("encoder.layer.0.w", new long[] {2, 2}, 1, 2, 3, 4)
                .floats("encoder.layer.0.h", DType.BF16, new long[] {2}, 1.5f, -2f)
                .config("{\"model_type\":\"bert\"}")
                .file("tokenizer.json", "{}")
                .writeTo(tmp.resolve("tiny"));
        try (Checkpoint c = Checkpoints.open(dir)) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, DTypeConversion.toFloatArray(c.bytes("encoder.layer.0.w"), DType.F32));
            assertArrayEquals(new float[] {1.5f, -2f}, DTypeConversion.toFloatArray(c.bytes("encoder.layer.0.h"), DType.BF16));
            assertEquals(List.of(dir.resolve("tokenizer.json")), c.auxFiles());
            assertFalse(c.names().isEmpty());
        }
    }

    @Test
    void backgroundThreadWritesTheSameFiles() throws Exception {
        java.util.Random r = new java.util.Random(11);
        List<TensorInfo> plan = new java.util.ArrayList<>();
        java.util.Map<String, byte[]> data = new java.util.TreeMap<>();
        for (int i = 0; i < 120; i++) {
            TensorInfo t = new TensorInfo(String.format("t%03d", i), DType.U8, new long[] {1 + r.nextInt(300)});
            plan.add(t);
            byte[] b = new byte[(int) t.byteSize()];
            r.nextBytes(b);
            data.put(t.name(), b);
        }
        Path sync = tmp.resolve("sync");
        Path async = tmp.resolve("async");
        for (Path out : List.of(sync, async)) {
            try (ShardedWriter w = new ShardedWriter(out, plan, 2000, Map.of(), List.of())) {
                if (out == async) {
                    w.background(2);
                }
                data.forEach((n, b) -> w.write(n, ByteBuffer.wrap(b)));
                w.commit();
            }
        }
        List<String> files = listing(sync);
        assertEquals(files, listing(async));
        assertTrue(files.size() > 5, files.toString());
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(sync.resolve(f)), Files.readAllBytes(async.resolve(f)), f);
        }
        // Abandoning a background writer mid-way leaves nothing.
        Path partial = tmp.resolve("partial");
        try (ShardedWriter w = new ShardedWriter(partial, plan, 2000, Map.of(), List.of()).background(2)) {
            w.write("t000", ByteBuffer.wrap(data.get("t000")));
        }
        assertEquals(List.of("async", "sync"), listing(tmp));
    }
}
