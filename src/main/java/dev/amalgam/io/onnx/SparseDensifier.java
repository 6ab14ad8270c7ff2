package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Turns a SparseTensorProto (values + int64 indices, linear [NNZ] or per-axis [NNZ, rank]) into a dense tensor. */
final class SparseDensifier {
    private SparseDensifier() {
    }

    static OnnxTensor densify(Path file, OnnxTensor values, OnnxTensor indices, long[] dims) {
        String name = values.name();
        DType dt = OnnxTensorData.dtype(values, file);
        ByteBuffer vals = OnnxTensorData.bytes(values, file);
        long[] idx = OnnxTensorData.longs(indices, file);
        long nnz = values.numel();
        long numel = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new AmalgamException(file + ": sparse initializer '" + name + "' has a negative dimension");
            }
            numel = Math.multiplyExact(numel, d);
        }
        long bytes = Math.multiplyExact(numel, dt.byteSize());
        if (bytes > Integer.MAX_VALUE) {
            throw new AmalgamException(file + ": sparse initializer '" + name + "' is over 2 GiB dense");
        }
        boolean perAxis = indices.dims().length == 2;
        if (idx.length != (perAxis ? nnz * dims.length : nnz)) {
            throw new AmalgamException(file + ": sparse initializer '" + name + "' has " + idx.length
                    + " indices for " + nnz + " values");
        }
        ByteBuffer dense = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        int es = dt.byteSize();
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
            for (int b = 0; b < es; b++) {
                dense.put((int) (linear * es + b), vals.get(k * es + b));
            }
        }
        return new OnnxTensor(name, values.dataType(), dims,
                dense.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), null, 0, null);
    }
}
