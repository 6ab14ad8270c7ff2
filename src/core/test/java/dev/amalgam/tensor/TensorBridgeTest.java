package dev.amalgam.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorBridgeTest {
    @TempDir
    Path tmp;

    // Exactly representable in F16 and BF16, so every dtype must give these values back.
    private static final float[] VALUES = {1f, -2f, 0.5f, 3f, -0.25f, 96f};

    @Test
    void floatDtypesBecomeOwnedF32Arrays() {
        TinyCheckpoints.Builder b = TinyCheckpoints.builder();
        for (DType d : new DType[] {DType.F32, DType.F16, DType.BF16, DType.F64}) {
            b.floats("t_" + d, d, new long[] {2, 3}, VALUES);
        }
        Path dir = b.writeTo(tmp.resolve("m"));
        try (Checkpoint c = Checkpoints.open(dir); NDManager m = NDManager.newBaseManager()) {
            for (String n : c.names()) {
                NDArray a = TensorBridge.toF32(m, c.info(n), c.bytes(n));
                assertEquals(DataType.FLOAT32, a.getDataType(), n);
                assertArrayEquals(new long[] {2, 3}, a.getShape().getShape());
                assertArrayEquals(VALUES, a.toFloatArray(), n);
                a.addi(1f); // must not touch the read-only mapping (would crash) and must not change the file
                NDArray again = TensorBridge.toF32(m, c.info(n), c.bytes(n));
                assertArrayEquals(VALUES, again.toFloatArray(), n);
                NDArray viaSource = TensorBridge.toF32(m, c, n);
                assertArrayEquals(new long[] {2, 3}, viaSource.getShape().getShape());
                assertArrayEquals(VALUES, viaSource.toFloatArray(), "source path " + n);
            }
        }
    }

    @Test
    void fromF32EncodesEachTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1f, 1.00390625f, -65520f});
            // bf16: 1.00390625 = 1 + 2^-8 is a tie -> 1.0 (0x3F80); -65520 -> 0xC780 (exact)
            ByteBuffer bf = TensorBridge.fromF32(a, DType.BF16).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals((short) 0x3F80, bf.getShort(0));
            assertEquals((short) 0x3F80, bf.getShort(2));
            assertEquals((short) 0xC780, bf.getShort(4));
            ByteBuffer h = TensorBridge.fromF32(a, DType.F16).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals((short) 0x3C00, h.getShort(0));
            assertEquals((short) 0x3C04, h.getShort(2)); // 1 + 4 * 2^-10 exact
            assertEquals((short) 0xFC00, h.getShort(4)); // overflow to -inf
            ByteBuffer d = TensorBridge.fromF32(a, DType.F64).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(1.00390625, d.getDouble(8));
            ByteBuffer f = TensorBridge.fromF32(a, DType.F32).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(-65520f, f.getFloat(8));
        }
    }

    @Test
    void integerTensorsKeepTheirType() {
        ByteBuffer i16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -3).putShort((short) 7)
                .putShort((short) 32767).flip();
        ByteBuffer i64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(1L << 40).flip();
        ByteBuffer u8 = ByteBuffer.wrap(new byte[] {(byte) 255, 1});
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = TensorBridge.toNative(m, new TensorInfo("a", DType.I16, new long[] {3}), i16);
            assertEquals(DataType.INT32, a.getDataType());
            assertArrayEquals(new int[] {-3, 7, 32767}, a.toIntArray());
            NDArray b = TensorBridge.toNative(m, new TensorInfo("b", DType.I64, new long[] {2}), i64);
            assertEquals(DataType.INT64, b.getDataType());
            assertArrayEquals(new long[] {-5, 1L << 40}, b.toLongArray());
            NDArray c = TensorBridge.toNative(m, new TensorInfo("c", DType.U8, new long[] {2}), u8);
            assertEquals(DataType.UINT8, c.getDataType());
            assertArrayEquals(new byte[] {(byte) 255, 1}, c.toByteArray());
        }
    }
}
