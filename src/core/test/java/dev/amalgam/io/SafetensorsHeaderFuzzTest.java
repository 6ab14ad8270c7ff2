package dev.amalgam.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.amalgam.testutil.FuzzChecks;
import dev.amalgam.testutil.RawSafetensors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the safetensors reader ({@link SafetensorsFile#open}, which parses the header with
 * {@link SafetensorsHeader#read}) with arbitrary file contents, then reads every tensor it accepted
 * all three ways. Criteria in {@link FuzzChecks}; besides, every accepted tensor must lie inside the
 * file and read back exactly its byte size. Stored inputs: {@code SafetensorsHeaderFuzzTestInputs/}.
 * How to fuzz: docs/fuzzing.md.
 */
class SafetensorsHeaderFuzzTest {
    @TempDir
    static Path root;

    static Stream<byte[]> seeds() {
        byte[] twoTensors = new byte[8 + 6];
        for (int i = 0; i < twoTensors.length; i++) {
            twoTensors[i] = (byte) (i * 37);
        }
        return Stream.of(
                RawSafetensors.bytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                RawSafetensors.bytes("{\"__metadata__\":{\"format\":\"pt\"},"
                        + "\"a.weight\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[4,6]},"
                        + "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[6,14]},"
                        + "\"e\":{\"dtype\":\"U8\",\"shape\":[0,3],\"data_offsets\":[14,14]}}", twoTensors),
                RawSafetensors.bytes("{}", new byte[0]),
                SafetensorsHeaderWriter.encode(List.of(new TensorInfo("x", DType.F64, new long[] {1, 1}),
                        new TensorInfo("y", DType.BOOL, new long[] {3})), java.util.Map.of("k", "v")));
    }

    @MethodSource("seeds")
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"BF16\"",
            "\"F16\"", "\"F64\"", "\"I64\"", "\"BOOL\"", "\"U8\"", "9223372036854775807", "4294967296"})
    @FuzzTest
    @Timeout(FuzzChecks.TIMEOUT_SECONDS)
    void readSafetensors(byte[] data) throws Exception {
        Path dir = FuzzChecks.freshDir(root);
        Path file = FuzzChecks.write(dir.resolve("model.safetensors"), data);
        try {
            FuzzChecks.userErrorsOnly(data.length, () -> readAll(file, data));
        } finally {
            FuzzChecks.delete(dir);
        }
    }

    private static void readAll(Path file, byte[] data) throws Exception {
        long size = Files.size(file);
        try (SafetensorsFile f = SafetensorsFile.open(file, 4)) { // 4: small tensors copied, larger mapped
            SafetensorsHeader h = f.header();
            assertTrue(h.dataStart() >= 8 && h.dataStart() <= size, "data section start " + h.dataStart());
            List<String> names = new ArrayList<>();
            for (SafetensorsHeader.Entry e : h.entries()) {
                long byteSize = e.info().byteSize();
                assertTrue(e.begin() >= 0 && e.begin() <= e.end() && h.dataStart() + e.end() <= size,
                        e.info().name() + ": [" + e.begin() + ", " + e.end() + ") outside a " + size + "-byte file");
                assertEquals(byteSize, e.end() - e.begin(), e.info().name());
                names.add(e.info().name());
            }
            assertEquals(names, f.names());
            for (String n : f.names()) {
                SafetensorsHeader.Entry e = h.entries().get(names.indexOf(n));
                int len = (int) (e.end() - e.begin());
                byte[] expected = new byte[len];
                System.arraycopy(data, (int) (h.dataStart() + e.begin()), expected, 0, len);
                ByteBuffer b = f.bytes(n);
                assertEquals(len, b.remaining(), n);
                assertArrayEquals(expected, copy(b), n);
                ByteBuffer dst = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
                f.readInto(n, dst);
                assertArrayEquals(expected, dst.array(), n);
                assertArrayEquals(expected, f.withBytes(n, SafetensorsHeaderFuzzTest::copy), n);
            }
        }
    }

    /** A buffer's remaining bytes, without moving its position. */
    static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
