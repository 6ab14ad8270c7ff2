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
 * @param sparse    for a sparse initializer, its checked values and indices, densified only when read; else null
 */
record OnnxTensor(String name, int dataType, long[] dims, ByteBuffer raw, long[] typed, int typedField,
                  Map<String, String> external, SparseDensifier.Sparse sparse) {

    /** The largest element count accepted: its byte size must fit a long for every element type. */
    static final long MAX_NUMEL = Long.MAX_VALUE / 8;

    OnnxTensor(String name, int dataType, long[] dims, ByteBuffer raw, long[] typed, int typedField,
               Map<String, String> external) {
        this(name, dataType, dims, raw, typed, typedField, external, null);
    }

    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7,
            STRING = 8, BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    long numel() {
        return numel(dims);
    }

    /**
     * The element count of non-negative dims, or -1 when it or the product of any leading dims is over
     * {@link #MAX_NUMEL} (so that no order of multiplying the dims by the element size overflows).
     */
    static long numel(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d != 0 && n > MAX_NUMEL / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    boolean isFloat() {
        return dataType == FLOAT || dataType == FLOAT16 || dataType == DOUBLE || dataType == BFLOAT16;
    }

    OnnxTensor renamed(String newName) {
        return new OnnxTensor(newName, dataType, dims, raw, typed, typedField, external, sparse);
    }
}
