package dev.amalgam.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.testutil.RawSafetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: for random tensor sets (all dtypes, ranks 0–4, zero-sized dims, random shard sizes), what
 * the writer writes the reader returns byte for byte; the file layout is checked by an independent
 * minimal parser, and a small single file is cross-checked with DJL's own safetensors decoder.
 */
class SafetensorsRoundTripPropertyTest {
    @TempDir
    Path tmp;

    record Written(TensorInfo info, byte[] bytes) {
    }

    private static Map<String, Written> randomTensors(Random r, DType[] dtypes) {
        Map<String, Written> m = new TreeMap<>();
        int count = 1 + r.nextInt(7);
        for (int i = 0; i < count; i++) {
            DType d = dtypes[r.nextInt(dtypes.length)];
            long[] shape = new long[r.nextInt(5)];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(6);
            }
            String name = "layer" + r.nextInt(30) + (r.nextBoolean() ? ".weight" : ".Bias_" + i);
            TensorInfo info = new TensorInfo(name, d, shape);
            byte[] b = new byte[(int) info.byteSize()];
            r.nextBytes(b);
            if (d == DType.BOOL) {
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) (b[k] & 1);
                }
            }
            m.put(name, new Written(info, b));
        }
        return m;
    }

    private static Path write(Path dir, Map<String, Written> tensors, long maxShard, Map<String, String> meta) {
        List<TensorInfo> plan = new ArrayList<>();
        tensors.values().forEach(w -> plan.add(w.info()));
        try (ShardedWriter w = new ShardedWriter(dir, plan, maxShard, meta, List.of())) {
            for (Written t : tensors.values()) {
                w.write(t.info().name(), ByteBuffer.wrap(t.bytes()));
            }
            w.commit();
        }
        return dir;
    }

    @Test
    void randomCheckpointsRoundTrip() throws Exception {
        Random r = new Random(20261122);
        for (int trial = 0; trial < 60; trial++) {
            Map<String, Written> tensors = randomTensors(r, DType.values());
            long total = tensors.values().stream().mapToLong(w -> w.bytes().length).sum();
            long maxShard = r.nextBoolean() ? Long.MAX_VALUE : 1 + r.nextInt((int) Math.max(1, total));
            Map<String, String> meta = Map.of("recipe_sha256", "abc" + trial, "amalgam_version", "test");
            Path dir = write(tmp.resolve("t" + trial), tensors, maxShard, meta);
            try (Checkpoint c = Checkpoints.open(dir)) {
                assertEquals(new ArrayList<>(tensors.keySet()), c.names(), "trial " + trial);
                for (Written w : tensors.values()) {
                    assertEquals(w.info(), c.info(w.info().name()));
                    ByteBuffer got = c.bytes(w.info().name());
                    byte[] gb = new byte[got.remaining()];
                    got.duplicate().get(gb);
                    assertArrayEquals(w.bytes(), gb, "trial " + trial + " " + w.info());
                    ByteBuffer copy = ByteBuffer.allocate(w.bytes().length);
                    c.readInto(w.info().name(), copy);
                    assertArrayEquals(w.bytes(), copy.array(), "readInto, trial " + trial + " " + w.info());
                }
            }
            checkLayoutIndependently(dir, tensors, meta);
        }
    }

    /** Header padded to 8, __metadata__ first with format=pt, keys sorted, offsets contiguous. */
    private static void checkLayoutIndependently(Path dir, Map<String, Written> tensors, Map<String, String> meta)
            throws Exception {
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        int seen = 0;
        for (Path f : files) {
            RawSafetensors.Parsed p = RawSafetensors.parse(f);
            assertEquals(0, p.headerLength() % 8, f + " header length");
            assertTrue(p.headerText().stripTrailing().endsWith("}"));
            assertTrue(p.headerText().substring(p.headerText().stripTrailing().length()).chars().allMatch(ch -> ch == ' '));
            Iterator<String> keys = p.header().fieldNames();
            assertEquals("__metadata__", keys.next());
            JsonNode m = p.header().get("__metadata__");
            assertEquals("pt", m.get("format").asText());
            meta.forEach((k, v) -> assertEquals(v, m.get(k).asText()));
            String prev = null;
            long expectedBegin = 0;
            while (keys.hasNext()) {
                String k = keys.next();
                assertTrue(prev == null || prev.compareTo(k) < 0, "sorted: " + prev + " < " + k);
                prev = k;
                JsonNode off = p.header().get(k).get("data_offsets");
                assertEquals(expectedBegin, off.get(0).asLong());
                expectedBegin = off.get(1).asLong();
                assertArrayEquals(tensors.get(k).bytes(), p.tensorBytes(k));
                assertEquals(tensors.get(k).info().dtype().name(), p.header().get(k).get("dtype").asText());
                seen++;
            }
            assertEquals(p.file().length, p.dataStart() + expectedBegin, "no trailing bytes");
        }
        assertEquals(tensors.size(), seen);
        if (files.size() > 1) {
            JsonNode idx = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve(ShardedWriter.INDEX_FILE).toFile());
            long total = tensors.values().stream().mapToLong(w -> w.bytes().length).sum();
            assertEquals(total, idx.get("metadata").get("total_size").asLong());
            assertEquals(tensors.size(), idx.get("weight_map").size());
        } else {
            assertEquals(List.of(dir.resolve("model.safetensors")), files);
        }
    }

    @Test
    void djlDecoderReadsWhatWeWrite() throws Exception {
        // DJL 0.35.1 supports these dtypes in NDList.decode (not BF16/I16, which its PyTorch engine cannot create).
        DType[] djlTypes = {DType.F64, DType.F32, DType.F16, DType.I64, DType.I32, DType.I8, DType.U8, DType.BOOL};
        Random r = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            Map<String, Written> tensors = randomTensors(r, djlTypes);
            tensors.values().removeIf(w -> w.info().numel() == 0 || w.info().shape().length == 0);
            if (tensors.isEmpty()) {
                continue;
            }
            Path dir = write(tmp.resolve("djl" + trial), tensors, Long.MAX_VALUE, Map.of());
            byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
            try (NDManager m = NDManager.newBaseManager()) {
                NDList list = NDList.decode(m, file);
                Map<String, NDArray> byName = new LinkedHashMap<>();
                for (NDArray a : list) {
                    byName.put(a.getName(), a);
                }
                assertEquals(tensors.keySet(), byName.keySet());
                for (Written w : tensors.values()) {
                    NDArray a = byName.get(w.info().name());
                    assertArrayEquals(w.info().shape(), a.getShape().getShape(), w.info().toString());
                    byte[] got = new byte[w.bytes().length];
                    a.toByteBuffer().get(got);
                    assertArrayEquals(w.bytes(), got, w.info() + " " + Arrays.toString(w.info().shape()));
                }
            }
        }
    }
}
