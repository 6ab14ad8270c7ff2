package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weights of an imported ONNX model under their Hugging Face names. Tensors stay where the
 * ONNX file has them (a slice of the mapped file, or an external data file); recovered Linear
 * weights are transposed to [out, in] when read.
 */
final class OnnxTensorSource implements TensorSource {

    /** One exported tensor: the ONNX tensor it comes from and whether it is read transposed. */
    record Entry(OnnxTensor tensor, boolean transpose, TensorInfo info) {
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final List<String> names;

    OnnxTensorSource(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = new TreeMap<>(entries);
        this.names = Collections.unmodifiableList(new ArrayList<>(this.entries.keySet()));
    }

    static Entry entry(String name, OnnxTensor t, boolean transpose, Path file) {
        DType dt = OnnxTensorData.dtype(t, file);
        long[] shape = t.dims().clone();
        if (transpose) {
            shape = new long[] {shape[1], shape[0]};
        }
        return new Entry(t, transpose, new TensorInfo(name, dt, shape));
    }

    /** The original ONNX tensor name a Hugging Face name was read from. */
    String onnxName(String name) {
        return get(name).tensor().name();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return get(name).info();
    }

    @Override
    public ByteBuffer bytes(String name) {
        Entry e = get(name);
        ByteBuffer data = OnnxTensorData.bytes(e.tensor(), file);
        if (!e.transpose()) {
            return data;
        }
        return transpose2d(data, (int) e.tensor().dims()[0], (int) e.tensor().dims()[1], e.info().dtype().byteSize());
    }

    /** Row-major [rows, cols] to [cols, rows], element size {@code es} bytes. */
    static ByteBuffer transpose2d(ByteBuffer in, int rows, int cols, int es) {
        byte[] src = new byte[in.remaining()];
        in.duplicate().get(src);
        byte[] dst = new byte[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                System.arraycopy(src, (r * cols + c) * es, dst, (c * rows + r) * es, es);
            }
        }
        return ByteBuffer.wrap(dst).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new AmalgamException(file + ": no tensor '" + name + "'");
        }
        return e;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        // the mapping is released by the garbage collector
    }
}
