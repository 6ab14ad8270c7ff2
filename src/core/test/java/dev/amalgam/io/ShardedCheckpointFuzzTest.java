package dev.amalgam.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.code_intelligence.jazzer.mutation.annotation.WithLength;
import com.code_intelligence.jazzer.mutation.annotation.WithUtf8Length;
import dev.amalgam.testutil.FuzzChecks;
import dev.amalgam.testutil.RawSafetensors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Fuzzes the sharded-checkpoint reader: an arbitrary {@code model.safetensors.index.json} next to two
 * arbitrary shards, opened both as the index file ({@link ShardedCheckpoint#open}) and as a model
 * directory ({@link Checkpoints#open}). Criteria in {@link FuzzChecks}; besides, every shard opened
 * must be a file of the model directory, and every tensor listed must read back its byte size.
 * Stored inputs: {@code ShardedCheckpointFuzzTestInputs/}. How to fuzz: docs/fuzzing.md.
 */
class ShardedCheckpointFuzzTest {
    static final String SHARD1 = "model-00001-of-00002.safetensors";
    static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    static Path root;

    static Stream<Arguments> seeds() {
        byte[] a = RawSafetensors.bytes("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        byte[] b = RawSafetensors.bytes("{\"b\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[0,2]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]}}", new byte[2]);
        String index = "{\"metadata\":{\"total_size\":10},\"weight_map\":{\"a\":\"" + SHARD1 + "\",\"b\":\""
                + SHARD2 + "\",\"c\":\"" + SHARD2 + "\"}}";
        return Stream.of(
                arguments(index, a, b),
                arguments("{\"weight_map\":{\"a\":\"" + SHARD1 + "\"}}", a, new byte[0]),
                arguments("{\"weight_map\":{\"b\":\"" + SHARD1 + "\",\"c\":\"" + SHARD1 + "\"}}", b, a),
                arguments("{\"weight_map\":{}}", new byte[0], new byte[0]));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"\"weight_map\"", "\"metadata\"", "\"total_size\"", SHARD1, SHARD2, "\"dtype\"",
            "\"shape\"", "\"data_offsets\"", "\"F32\"", "\"BF16\"", "..", "/", "\\"})
    @FuzzTest
    @Timeout(FuzzChecks.TIMEOUT_SECONDS)
    void readSharded(@NotNull @WithUtf8Length(max = 1000) String index, byte @NotNull @WithLength(max = 1000) [] shard1,
                     byte @NotNull @WithLength(max = 1000) [] shard2) throws Exception {
        Path dir = FuzzChecks.freshDir(root);
        try {
            byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
            FuzzChecks.write(dir.resolve(ShardedWriter.INDEX_FILE), indexBytes);
            FuzzChecks.write(dir.resolve(SHARD1), shard1);
            FuzzChecks.write(dir.resolve(SHARD2), shard2);
            long inputBytes = indexBytes.length + shard1.length + shard2.length;
            FuzzChecks.userErrorsOnly(inputBytes, () -> {
                try (ShardedCheckpoint s = ShardedCheckpoint.open(dir.resolve(ShardedWriter.INDEX_FILE))) {
                    check(s, dir);
                }
            });
            FuzzChecks.userErrorsOnly(inputBytes, () -> {
                try (Checkpoint c = Checkpoints.open(dir)) {
                    check(c.tensors(), dir);
                }
            });
        } finally {
            FuzzChecks.delete(dir);
        }
    }

    private static void check(TensorSource source, Path dir) {
        if (source instanceof ShardedCheckpoint s) {
            for (Path shard : s.shardFiles()) {
                assertEquals(dir.toAbsolutePath().normalize(), shard.toAbsolutePath().normalize().getParent(),
                        "shard outside the model directory: " + shard);
                String n = shard.getFileName().toString();
                assertTrue(n.equals(SHARD1) || n.equals(SHARD2), "unexpected shard " + shard);
            }
        }
        for (String name : source.names()) {
            long size = source.info(name).byteSize();
            assertEquals(size, source.bytes(name).remaining(), name);
        }
    }
}
