package dev.amalgam.io;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.List;

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

    /** A short label for messages, usually the path. */
    String describe();

    @Override
    void close();
}
