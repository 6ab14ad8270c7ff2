package dev.amalgam.io;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * A set of named tensors that can be read lazily, one at a time (a memory-mapped safetensors file,
 * a sharded checkpoint, an imported ONNX model). Names are Hugging Face state-dict keys.
 */
public interface TensorSource extends Closeable {

    /** All tensor names, sorted. */
    List<String> names();

    boolean contains(String name);

    /** Metadata of one tensor; an {@link dev.amalgam.AmalgamException} naming this source if absent. */
    TensorInfo info(String name);

    /**
     * The tensor's raw little-endian bytes as a read-only buffer (position 0, limit = byte size).
     * Reading one tensor touches only its own bytes.
     */
    ByteBuffer bytes(String name);

    /**
     * Copies the tensor's bytes into {@code dst} (which must have exactly its byte size remaining),
     * advancing {@code dst}'s position. Sources backed by files override this with a direct read, which
     * is faster than faulting in a mapping when the caller needs its own copy anyway (e.g. an NDArray).
     */
    default void readInto(String name, ByteBuffer dst) {
        ByteBuffer src = bytes(name);
        if (dst.remaining() != src.remaining()) {
            throw new IllegalArgumentException(name + ": destination has " + dst.remaining() + " bytes, tensor "
                    + src.remaining());
        }
        dst.put(src);
    }

    /**
     * Applies {@code reader} to the tensor's raw little-endian bytes, which are valid only during the
     * call: file-backed sources map the tensor and unmap it on return, so nothing the reader keeps may
     * refer to the buffer. This is the way to decode a tensor without its file pages staying resident.
     */
    default <R> R withBytes(String name, Function<ByteBuffer, R> reader) {
        return reader.apply(bytes(name));
    }

    /** A short label for messages, usually the path. */
    String describe();

    @Override
    void close();
}
