package dev.amalgam.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads a tensor of a {@link TensorSource} into an NDArray that owns its memory. */
final class TensorArrays {
    private TensorArrays() {
    }

    static NDArray read(TensorSource source, String name, NDManager manager) {
        TensorInfo info = source.info(name);
        ByteBuffer src = source.bytes(name);
        // a private native-order copy: the source may be a read-only mapping that must not be written through
        ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        copy.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN)).flip();
        NDArray arr = manager.create(copy, new Shape(info.shape()), dataType(info.dtype()));
        arr.setName(name);
        return arr;
    }

    static DataType dataType(DType d) {
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
}
