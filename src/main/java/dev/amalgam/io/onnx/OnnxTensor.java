package dev.amalgam.io.onnx;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One ONNX TensorProto as found in the file: where its data lives, not yet decoded.
 *
 * @param name      tensor name (initializer name, or the output name of a Constant node)
 * @param dataType  ONNX TensorProto.DataType code
 * @param dims      shape
 * @param raw       raw_data as a read-only slice of the mapped file, or null
 * @param typed     values of the typed fields (float_data / int32_data / int64_data / double_data) as
 *                  longs (float and double as their bit patterns), or null; see {@link #typedField}
 * @param typedField the field number the typed values came from (4, 5, 7 or 10), 0 if none
 * @param external  external_data entries (location, offset, length, ...) when data_location is EXTERNAL, else null
 */
record OnnxTensor(String name, int dataType, long[] dims, ByteBuffer raw, long[] typed, int typedField,
                  Map<String, String> external) {

    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7,
            STRING = 8, BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    long numel() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    boolean isFloat() {
        return dataType == FLOAT || dataType == FLOAT16 || dataType == DOUBLE || dataType == BFLOAT16;
    }

    OnnxTensor renamed(String newName) {
        return new OnnxTensor(newName, dataType, dims, raw, typed, typedField, external);
    }
}
