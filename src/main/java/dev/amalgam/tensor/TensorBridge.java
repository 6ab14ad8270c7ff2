package dev.amalgam.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** TEMPORARY bridge until the io branch lands its NDArray conversion. */
public final class TensorBridge {
    private TensorBridge() {
    }

    public static NDArray toF32(NDManager m, TensorInfo info, ByteBuffer bytes) {
        Shape shape = new Shape(info.shape());
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (info.dtype()) {
            case F32:
                return m.create(b.asFloatBuffer(), shape);
            case F64:
                return m.create(b.asDoubleBuffer(), shape).toType(DataType.FLOAT32, false);
            case F16:
                return m.create(b, shape, DataType.FLOAT16).toType(DataType.FLOAT32, false);
            case BF16:
                return m.create(b, shape, DataType.BFLOAT16).toType(DataType.FLOAT32, false);
            default:
                throw new IllegalArgumentException("not a float tensor: " + info);
        }
    }

    public static ByteBuffer fromF32(NDArray a, DType out) {
        NDArray c = switch (out) {
            case F32 -> a;
            case F64 -> a.toType(DataType.FLOAT64, false);
            case F16 -> a.toType(DataType.FLOAT16, false);
            case BF16 -> a.toType(DataType.BFLOAT16, false);
            default -> throw new IllegalArgumentException("not a float dtype: " + out);
        };
        return c.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
