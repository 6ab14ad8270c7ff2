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

/**
 * A memory-mapped safetensors file of any size. The file is mapped lazily in windows of at most
 * 1 GiB (a {@link MappedByteBuffer} cannot exceed 2 GiB); a tensor inside one window is a slice of it,
 * a tensor straddling a window boundary gets its own mapping (made once). So a file has at most
 * ⌈size / 1 GiB⌉ + (number of straddling tensors) mappings, all made lazily; the file is opened once.
 * Mapping does not read: reading one tensor touches only its own pages. A single tensor must be
 * below 2 GiB (a clear error otherwise). Safe for concurrent readers.
 */
public final class SafetensorsFile implements TensorSource {
    static final long DEFAULT_WINDOW = 1L << 30;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final long window;
    private final SafetensorsHeader header;
    private final Map<String, SafetensorsHeader.Entry> byName = new TreeMap<>();
    private final MappedByteBuffer[] windows;
    /** Mappings of the tensors that straddle a window boundary, made once each. */
    private final Map<String, MappedByteBuffer> straddlers = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> names;

    private SafetensorsFile(Path path, FileChannel channel, long window) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileSize = channel.size();
        this.window = window;
        this.header = SafetensorsHeader.read(channel, path.toString());
        for (SafetensorsHeader.Entry e : header.entries()) {
            byName.put(e.info().name(), e);
        }
        this.names = Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
        this.windows = new MappedByteBuffer[Math.toIntExact((fileSize + window - 1) / window)];
    }

    public static SafetensorsFile open(Path path) {
        return open(path, DEFAULT_WINDOW);
    }

    /** Opens with a given window size (tests use tiny windows to exercise the boundary logic). */
    static SafetensorsFile open(Path path, long window) {
        if (window <= 0 || window > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window " + window);
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
            return new SafetensorsFile(path, ch, window);
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

    @Override
    public ByteBuffer bytes(String name) {
        SafetensorsHeader.Entry e = entry(name);
        long len = e.end() - e.begin();
        if (len > Integer.MAX_VALUE) {
            throw new AmalgamException(path + ": tensor '" + name + "' is " + len
                    + " bytes; tensors of 2 GiB or more are not supported");
        }
        if (len == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }
        long start = header.dataStart() + e.begin();
        int w = (int) (start / window);
        long windowStart = (long) w * window;
        try {
            if (start + len <= windowStart + window) {
                MappedByteBuffer m = window(w);
                return m.slice((int) (start - windowStart), (int) len).order(ByteOrder.LITTLE_ENDIAN);
            }
            MappedByteBuffer own = straddlers.get(name);
            if (own == null) {
                own = map(start, len);
                straddlers.put(name, own);
            }
            return own.duplicate().order(ByteOrder.LITTLE_ENDIAN);
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

    private synchronized MappedByteBuffer window(int w) throws IOException {
        if (windows[w] == null) {
            long start = (long) w * window;
            windows[w] = map(start, Math.min(window, fileSize - start));
        }
        return windows[w];
    }

    private MappedByteBuffer map(long start, long len) throws IOException {
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + " is closed");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, start, len);
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
