package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Turns a SparseTensorProto (values + int64 indices, linear [NNZ] or per-axis [NNZ, rank]) into a dense
 * tensor. Reading the model only checks it ({@link #sparse}); the dense bytes, whose size the file
 * declares rather than holds, are allocated when the tensor is read ({@link #densify}).
 */
final class SparseDensifier {
    /** Checked parts of a sparse initializer: the values' bytes and each value's linear index. */
    record Sparse(ByteBuffer values, long[] linearIndices) {
    }

    private SparseDensifier() {
    }

    /** Checks a sparse initializer and returns it as a tensor of shape {@code dims}, not yet densified. */
    static OnnxTensor sparse(Path file, OnnxTensor values, OnnxTensor indices, long[] dims) {
        String name = values.name();
        DType dt = OnnxTensorData.dtype(values, file);
        ByteBuffer vals = OnnxTensorData.bytes(values, file);
        if (indices.dataType() != OnnxTensor.INT64 && indices.dataType() != OnnxTensor.INT32) {
            throw new AmalgamException(file + ": sparse initializer '" + name + "' has indices of ONNX data_type "
                    + indices.dataType() + " (int64 expected)");
        }
        long[] idx = OnnxTensorData.longs(indices, file);
        long nnz = values.numel();
        for (long d : dims) {
            if (d < 0) {
                throw new AmalgamException(file + ": sparse initializer '" + name + "' has a negative dimension");
            }
        }
        long numel = OnnxTensor.numel(dims);
        if (numel < 0 || numel * dt.byteSize() > Integer.MAX_VALUE) {
            throw new AmalgamException(file + ": sparse initializer '" + name + "' is over 2 GiB dense");
        }
        boolean perAxis = indices.dims().length == 2;
        if (idx.length != (perAxis ? nnz * dims.length : nnz)) {
            throw new AmalgamException(file + ": sparse initializer '" + name + "' has " + idx.length
                    + " indices for " + nnz + " values");
        }
        long[] linearIndices = new long[(int) nnz];
        for (int k = 0; k < nnz; k++) {
            long linear;
            if (perAxis) {
                linear = 0;
                for (int a = 0; a < dims.length; a++) {
                    long i = idx[k * dims.length + a];
                    if (i < 0 || i >= dims[a]) {
                        throw new AmalgamException(file + ": sparse initializer '" + name + "' index out of range");
                    }
                    linear = linear * dims[a] + i;
                }
            } else {
                linear = idx[k];
            }
            if (linear < 0 || linear >= numel) {
                throw new AmalgamException(file + ": sparse initializer '" + name + "' index " + linear + " out of range");
            }
            linearIndices[k] = linear;
        }
        return new OnnxTensor(name, values.dataType(), dims, null, null, 0, null, new Sparse(vals, linearIndices));
    }

    /** The dense little-endian bytes of a tensor made by {@link #sparse}. */
    static ByteBuffer densify(OnnxTensor t, Path file) {
        int es = OnnxTensorData.dtype(t, file).byteSize();
        ByteBuffer values = t.sparse().values();
        long[] linear = t.sparse().linearIndices();
        ByteBuffer dense = ByteBuffer.allocate((int) (t.numel() * es)).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < linear.length; k++) {
            for (int b = 0; b < es; b++) {
                dense.put((int) (linear[k] * es + b), values.get(k * es + b));
            }
        }
        return dense;
    }
}
