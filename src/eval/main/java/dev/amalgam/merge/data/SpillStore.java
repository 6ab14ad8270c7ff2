package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-task statistics (Gram matrices, Fisher diagonals) kept on disk between the data pass and the
 * merge, so memory holds one task's statistics during its pass and one tensor's during the merge.
 * F32 files in a temporary directory, removed by {@link #close} (or at exit).
 */
final class SpillStore implements AutoCloseable {
    private final Path dir;
    private final Map<String, Entry> entries = new HashMap<>();

    private record Entry(Path file, Shape shape) {
    }

    SpillStore(String label) {
        try {
            dir = Files.createTempDirectory("amalgam-" + label + "-");
        } catch (IOException e) {
            throw new AmalgamException("cannot create a temporary directory for " + label + " statistics: " + e.getMessage());
        }
        dev.amalgam.io.PartialOutputs.scratch(dir);
    }

    void put(String task, String name, NDArray a) {
        String key = task + "\u0000" + name;
        Path f = dir.resolve(entries.size() + ".f32");
        try (NDArray f32 = a.toType(DataType.FLOAT32, true);
             FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = f32.toByteBuffer(true).order(ByteOrder.nativeOrder());
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot write merge statistics", e);
        }
        entries.put(key, new Entry(f, a.getShape()));
    }

    boolean has(String task, String name) {
        return entries.containsKey(task + "\u0000" + name);
    }

    NDArray get(String task, String name, NDManager m) {
        Entry e = entries.get(task + "\u0000" + name);
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(e.file())).order(ByteOrder.nativeOrder());
            return m.create(b.asFloatBuffer(), e.shape());
        } catch (IOException ex) {
            throw new UncheckedIOException(e.file() + ": cannot read merge statistics", ex);
        }
    }

    private void delete() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary statistics only
        }
    }

    @Override
    public void close() {
        delete();
        entries.clear();
        dev.amalgam.io.PartialOutputs.scratchRemoved(dir);
    }
}
