package dev.amalgam.io;

import java.util.Arrays;

/** Name, element type and shape of one tensor; the name is always the Hugging Face state-dict key. */
public record TensorInfo(String name, DType dtype, long[] shape) {

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return Math.multiplyExact(numel(), dtype.byteSize());
    }

    public TensorInfo withDtype(DType d) {
        return new TensorInfo(name, d, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
