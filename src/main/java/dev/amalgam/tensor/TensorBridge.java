package dev.amalgam.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Raw tensor bytes ⇄ DJL NDArrays. Arrays returned own their memory (never alias a memory-mapped
 * file, which is read-only and may be unmapped), so callers may modify them in place.
 *
 * <p>DJL's PyTorch engine (0.35.1) crashes when creating BFLOAT16 or INT16 arrays, so BF16 is decoded
 * in Java and I16 is widened to INT32 by {@link #toNative}.
 */
public final class TensorBridge {
    private TensorBridge() {
    }

    public static DataType djlType(DType d) {
        return switch (d) {
            case F64 -> DataType.FLOAT64;
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case BF16 -> DataType.BFLOAT16;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I16 -> DataType.INT16;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }

    public static Shape shape(TensorInfo info) {
        return new Shape(info.shape());
    }

    /** A float tensor as an F32 NDArray on {@code manager}. */
    public static NDArray toF32(NDManager manager, TensorInfo info, ByteBuffer bytes) {
        checkSize(info, bytes);
        Shape shape = shape(info);
        switch (info.dtype()) {
            case F32:
                return ownedCopy(manager, direct(bytes), shape, DataType.FLOAT32);
            case F16:
            case F64: {
                try (NDArray alias = manager.create(direct(bytes), shape, djlType(info.dtype()))) {
                    return alias.toType(DataType.FLOAT32, true);
                }
            }
            case BF16: {
                ByteBuffer f32 = ByteBuffer.allocateDirect(Math.multiplyExact(Math.toIntExact(info.numel()), 4))
                        .order(ByteOrder.LITTLE_ENDIAN);
                DTypeConversion.toFloat32(bytes, DType.BF16, f32.asFloatBuffer());
                return manager.create(f32, shape, DataType.FLOAT32); // aliases f32, which it keeps alive
            }
            default:
                throw new IllegalArgumentException(info + " is not a float tensor");
        }
    }

    /** Any tensor in its own DJL type (I16 widened to INT32), for copying non-float tensors. */
    public static NDArray toNative(NDManager manager, TensorInfo info, ByteBuffer bytes) {
        checkSize(info, bytes);
        Shape shape = shape(info);
        return switch (info.dtype()) {
            case F32, F16, F64, BF16 -> toF32(manager, info, bytes);
            case I16 -> {
                ShortBuffer s = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
                ByteBuffer wide = ByteBuffer.allocateDirect(s.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < s.remaining(); i++) {
                    wide.putInt(i * 4, s.get(i));
                }
                yield manager.create(wide, shape, DataType.INT32);
            }
            default -> ownedCopy(manager, direct(bytes), shape, djlType(info.dtype()));
        };
    }

    /** Encodes an F32 NDArray as little-endian bytes of float dtype {@code target}. */
    public static ByteBuffer fromF32(NDArray array, DType target) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected FLOAT32, got " + array.getDataType());
        }
        ByteBuffer raw = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (target == DType.F32) {
            return raw;
        }
        return DTypeConversion.fromFloat32(raw.asFloatBuffer(), target);
    }

    private static NDArray ownedCopy(NDManager manager, ByteBuffer direct, Shape shape, DataType type) {
        try (NDArray alias = manager.create(direct, shape, type)) {
            return alias.duplicate();
        }
    }

    private static ByteBuffer direct(ByteBuffer b) {
        if (b.isDirect()) {
            return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer d = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        d.put(b.duplicate());
        return d.flip();
    }

    private static void checkSize(TensorInfo info, ByteBuffer bytes) {
        if (bytes.remaining() != info.byteSize()) {
            throw new IllegalArgumentException(info + ": " + bytes.remaining() + " bytes, expected " + info.byteSize());
        }
    }
}
