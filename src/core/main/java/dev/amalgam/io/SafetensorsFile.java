package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A safetensors file of any size, read tensor by tensor. Nothing stays mapped: {@link #withBytes} maps
 * exactly one tensor and unmaps it when the reader returns, {@link #readInto} is a positional read, and
 * {@link #bytes} gives small tensors as a heap copy and large ones as their own mapping, released when
 * the buffer is garbage-collected. So the resident file-backed pages of a merge are those of the
 * tensors being read, not of the model (a mapping that stays alive keeps its touched pages in RSS).
 * A single tensor must be below 2 GiB (a clear error otherwise). Safe for concurrent readers.
 */
public final class SafetensorsFile implements TensorSource {
    /** Tensors up to this size are returned by {@link #bytes} as a heap copy (no mapping to keep). */
    static final int DEFAULT_COPY_LIMIT = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final int copyLimit;
    private final SafetensorsHeader header;
    private final Map<String, SafetensorsHeader.Entry> byName = new TreeMap<>();
    private final List<String> names;

    private SafetensorsFile(Path path, FileChannel channel, int copyLimit) throws IOException {
        this.path = path;
        this.channel = channel;
        this.copyLimit = copyLimit;
        this.header = SafetensorsHeader.read(channel, path.toString());
        for (SafetensorsHeader.Entry e : header.entries()) {
            byName.put(e.info().name(), e);
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }

    public static SafetensorsFile open(Path path) {
        return open(path, DEFAULT_COPY_LIMIT);
    }

    /** Opens with a given copy limit for {@link #bytes} (tests use several to exercise both paths). */
    static SafetensorsFile open(Path path, int copyLimit) {
        if (copyLimit < 0) {
            throw new IllegalArgumentException("copy limit " + copyLimit);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new AmalgamException(path + ": no such file");
        } catch (IOException e) {
            throw new AmalgamException(path + ": cannot open (" + e.getMessage() + ")");
        }
        try {
            return new SafetensorsFile(path, ch, copyLimit);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof IOException io) {
                throw new AmalgamException(path + ": cannot read (" + io.getMessage() + ")");
            }
            throw (RuntimeException) e;
        }
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} entries (empty if absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    public SafetensorsHeader header() {
        return header;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry e = byName.get(name);
        if (e == null) {
            throw new AmalgamException(path + ": no tensor '" + name + "'");
        }
        return e;
    }

    /** Byte length of a tensor, refusing 2 GiB or more (a ByteBuffer's limit). */
    private int length(String name, SafetensorsHeader.Entry e) {
        long len = e.end() - e.begin();
        if (len > Integer.MAX_VALUE) {
            throw new AmalgamException(path + ": tensor '" + name + "' is " + len
                    + " bytes; tensors of 2 GiB or more are not supported");
        }
        return (int) len;
    }

    @Override
    public ByteBuffer bytes(String name) {
        SafetensorsHeader.Entry e = entry(name);
        int len = length(name, e);
        if (len <= copyLimit) {
            ByteBuffer copy = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            readInto(name, copy);
            return copy.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        return map(name, e, len).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Maps the tensor for the duration of {@code reader} only, then unmaps it. */
    @Override
    public <R> R withBytes(String name, Function<ByteBuffer, R> reader) {
        SafetensorsHeader.Entry e = entry(name);
        int len = length(name, e);
        if (len == 0) {
            return reader.apply(ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer());
        }
        MappedByteBuffer m = map(name, e, len);
        try {
            return reader.apply(m.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        } finally {
            Unmapper.unmap(m);
        }
    }

    private MappedByteBuffer map(String name, SafetensorsHeader.Entry e, int len) {
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart() + e.begin(), len);
        } catch (IOException ex) {
            throw new AmalgamException(path + ": cannot map tensor '" + name + "' (" + ex.getMessage() + ")");
        }
    }

    /** Reads the tensor with positional reads on the channel (no mapping involved). */
    @Override
    public void readInto(String name, ByteBuffer dst) {
        SafetensorsHeader.Entry e = entry(name);
        long len = e.end() - e.begin();
        if (dst.remaining() != len) {
            throw new IllegalArgumentException(name + ": destination has " + dst.remaining() + " bytes, tensor " + len);
        }
        long pos = header.dataStart() + e.begin();
        try {
            while (dst.hasRemaining()) {
                int r = channel.read(dst, pos);
                if (r < 0) {
                    throw new AmalgamException(path + ": tensor '" + name + "' ends past the end of the file (truncated?)");
                }
                pos += r;
            }
        } catch (IOException ex) {
            throw new AmalgamException(path + ": cannot read tensor '" + name + "' (" + ex.getMessage() + ")");
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to flush
        }
    }
}
