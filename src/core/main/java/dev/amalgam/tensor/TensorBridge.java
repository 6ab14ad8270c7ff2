package dev.amalgam.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import dev.amalgam.io.DTypeConversion;

/**
 * Raw tensor bytes ⇄ DJL NDArrays. Arrays returned own their (libtorch) memory and never alias a
 * memory-mapped file, which is read-only and may be unmapped, so callers may modify them in place.
 * Bytes are copied or decoded straight into the new array's memory (one pass, no temporary buffer).
 *
 * <p>DJL's PyTorch engine (0.35.1) crashes when creating BFLOAT16 or INT16 arrays, so BF16 and F16 are
 * decoded in Java and I16 is widened to INT32 by {@link #toNative}.
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
        if (!info.dtype().isFloat()) {
            throw new IllegalArgumentException(info + " is not a float tensor");
        }
        NDArray out = manager.create(shape(info), DataType.FLOAT32);
        ByteBuffer dst = out.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
        if (info.dtype() == DType.F32) {
            dst.put(bytes.duplicate());
        } else {
            DTypeConversion.toFloat32(bytes, info.dtype(), dst.asFloatBuffer());
        }
        return out;
    }

    /**
     * Tensor {@code name} of {@code source} as an F32 NDArray. F32 tensors are read straight into the
     * array's memory with {@link TensorSource#readInto} (a positional file read for safetensors), the
     * fastest path; other dtypes are decoded from a mapping of the tensor that is released right after
     * ({@link TensorSource#withBytes}), so no file pages stay resident.
     */
    public static NDArray toF32(NDManager manager, TensorSource source, String name) {
        TensorInfo info = source.info(name);
        if (info.dtype() != DType.F32) {
            return source.withBytes(name, b -> toF32(manager, info, b));
        }
        NDArray out = manager.create(shape(info), DataType.FLOAT32);
        source.readInto(name, out.toByteBuffer(true));
        return out;
    }

    /** Any tensor in its own DJL type (I16 widened to INT32), for copying non-float tensors. */
    public static NDArray toNative(NDManager manager, TensorInfo info, ByteBuffer bytes) {
        checkSize(info, bytes);
        if (info.dtype().isFloat()) {
            return toF32(manager, info, bytes);
        }
        DataType type = info.dtype() == DType.I16 ? DataType.INT32 : djlType(info.dtype());
        NDArray out = manager.create(shape(info), type);
        ByteBuffer dst = out.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
        if (info.dtype() == DType.I16) {
            ShortBuffer s = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            for (int i = 0; i < s.remaining(); i++) {
                dst.putInt(i * 4, s.get(i));
            }
        } else {
            dst.put(bytes.duplicate());
        }
        return out;
    }

    /** Encodes an F32 NDArray as little-endian bytes of float dtype {@code target} (a buffer of its own). */
    public static ByteBuffer fromF32(NDArray array, DType target) {
        return encode(array, target, false);
    }

    /**
     * Like {@link #fromF32}, for bytes consumed before {@code array} is closed (a synchronous write):
     * an F32 result may be a view of the array's native memory, so no copy of the tensor is made.
     */
    public static ByteBuffer fromF32Transient(NDArray array, DType target) {
        return encode(array, target, true);
    }

    private static ByteBuffer encode(NDArray array, DType target, boolean mayAlias) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected FLOAT32, got " + array.getDataType());
        }
        // A conversion writes a new buffer, so its F32 source may be the array's own memory.
        boolean view = mayAlias || target != DType.F32;
        ByteBuffer raw = array.toByteBuffer(view).order(ByteOrder.LITTLE_ENDIAN);
        if (target == DType.F32) {
            return raw;
        }
        return DTypeConversion.fromFloat32(raw.asFloatBuffer(), target);
    }

    private static void checkSize(TensorInfo info, ByteBuffer bytes) {
        if (bytes.remaining() != info.byteSize()) {
            throw new IllegalArgumentException(info + ": " + bytes.remaining() + " bytes, expected " + info.byteSize());
        }
    }
}
