package dev.amalgam.testutil;

import dev.amalgam.io.DType;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.DTypeConversion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Writes tiny Hugging Face style checkpoint directories for tests, through the production
 * {@link ShardedWriter}:
 * <pre>
 * Path dir = TinyCheckpoints.builder()
 *     .f32("encoder.layer.0.weight", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
 *     .config("{\"model_type\":\"bert\"}")
 *     .file("tokenizer.json", "{}")
 *     .writeTo(tmp.resolve("model"));
 * </pre>
 * Tests of the reader itself should build files with {@link RawSafetensors} instead (independent).
 */
public final class TinyCheckpoints {
    private TinyCheckpoints() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Deterministic pseudo-random values N(0, scale²). */
    public static float[] randomFloats(long seed, int n, float scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    public static final class Builder {
        private final Map<String, TensorInfo> infos = new TreeMap<>();
        private final Map<String, ByteBuffer> data = new TreeMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private long maxShardSize = Long.MAX_VALUE;

        /** An F32 tensor; values in row-major order. */
        public Builder f32(String name, long[] shape, float... values) {
            return floats(name, DType.F32, shape, values);
        }

        /** A float tensor stored as {@code dtype} (values rounded to it). */
        public Builder floats(String name, DType dtype, long[] shape, float... values) {
            return tensor(name, dtype, shape, DTypeConversion.fromFloatArray(values, dtype));
        }

        /** Any tensor from raw little-endian bytes. */
        public Builder tensor(String name, DType dtype, long[] shape, ByteBuffer bytes) {
            TensorInfo info = new TensorInfo(name, dtype, shape.clone());
            if (bytes.remaining() != info.byteSize()) {
                throw new IllegalArgumentException(info + ": " + bytes.remaining() + " bytes");
            }
            infos.put(name, info);
            data.put(name, bytes.duplicate());
            return this;
        }

        public Builder config(String json) {
            return file("config.json", json);
        }

        public Builder file(String name, String content) {
            files.put(name, content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Builder maxShardSize(long bytes) {
            this.maxShardSize = bytes;
            return this;
        }

        /** Writes the directory (which must not exist or be empty) and returns it. */
        public Path writeTo(Path dir) {
            try (ShardedWriter w = new ShardedWriter(dir, new ArrayList<>(infos.values()), maxShardSize,
                    metadata, List.of())) {
                for (Map.Entry<String, ByteBuffer> e : data.entrySet()) {
                    w.write(e.getKey(), e.getValue());
                }
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    w.writeFile(f.getKey(), f.getValue());
                }
                w.commit();
                return dir;
            }
        }
    }

    /** Writes a text file, creating parents. */
    public static Path writeString(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
