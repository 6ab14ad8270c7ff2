package dev.amalgam.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Streams a Hugging Face style checkpoint directory to disk. The whole plan (names, dtypes, shapes)
 * is known up front, so shard assignment and every header are fixed before any data is written;
 * tensors then arrive one at a time, in sorted name order, and go straight to their shard.
 *
 * <p>One shard: {@code model.safetensors}. Several: {@code model-0000i-of-0000N.safetensors} plus
 * {@code model.safetensors.index.json} ({@code metadata.total_size}, {@code weight_map}). A tensor
 * larger than the shard size gets a shard of its own. Everything goes into a hidden temporary
 * directory next to OUT ({@link TempDirs}: removed on SIGINT/SIGTERM, or by a later run after kill -9),
 * renamed to OUT by {@link #commit()}; {@link #close()} without commit deletes it. OUT must not exist
 * (or be an empty directory), and OUT may not be or contain any input path.
 * {@link #background(int)} moves the file writes to a background thread.
 */
public final class ShardedWriter implements Closeable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final long WRITE_DELAY_MILLIS = Long.getLong("amalgam.test.writeDelayMillis", 0);

    private final Path outDir;
    private final Path tempDir;
    private final List<TensorInfo> plan;
    private final List<List<TensorInfo>> shards = new ArrayList<>();
    private final List<String> shardNames = new ArrayList<>();
    private final int[] shardOfTensor;
    private final Map<String, String> metadata;
    private int next;
    private FileChannel current;
    private int currentShard = -1;
    private boolean committed;
    private java.util.concurrent.ExecutorService background;
    private java.util.concurrent.Semaphore inFlight;
    private volatile Throwable backgroundFailure;

    public ShardedWriter(Path outDir, List<TensorInfo> plan, long maxShardSize, Map<String, String> metadata,
                         Collection<Path> inputs) {
        if (maxShardSize <= 0) {
            throw new AmalgamException("max shard size must be positive, got " + maxShardSize);
        }
        this.outDir = outDir.toAbsolutePath().normalize();
        this.plan = new ArrayList<>(plan);
        this.plan.sort(Comparator.comparing(TensorInfo::name));
        Set<String> seen = new HashSet<>();
        for (TensorInfo t : this.plan) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("tensor planned twice: " + t.name());
            }
        }
        this.metadata = new TreeMap<>(metadata);
        this.metadata.put("format", "pt");
        checkOutput(this.outDir, inputs);
        this.shardOfTensor = new int[this.plan.size()];
        assignShards(maxShardSize);
        this.tempDir = TempDirs.create(this.outDir);
    }

    /**
     * Fails unless {@code out} may be written: it must not exist (or be an empty directory) and must
     * not be or contain any of {@code inputs}. Commands call it before their heavy work.
     */
    public static void requireNewOutput(Path out, Collection<Path> inputs) {
        checkOutput(out.toAbsolutePath().normalize(), inputs);
    }

    private static void checkOutput(Path out, Collection<Path> inputs) {
        for (Path in : inputs) {
            Path p = in.toAbsolutePath().normalize();
            try {
                if (Files.exists(p)) {
                    p = p.toRealPath();
                }
            } catch (IOException ignored) {
                // keep the normalized path
            }
            Path o = out;
            try {
                if (Files.exists(o)) {
                    o = o.toRealPath();
                }
            } catch (IOException ignored) {
                // keep the normalized path
            }
            if (p.equals(o) || p.startsWith(o)) {
                throw new AmalgamException(out + ": output would overwrite input " + in);
            }
        }
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new AmalgamException(out + ": output exists and is not a directory");
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
                if (ds.iterator().hasNext()) {
                    throw new AmalgamException(out + ": output directory exists and is not empty (refusing to overwrite)");
                }
            } catch (IOException e) {
                throw new AmalgamException(out + ": cannot list output directory (" + e.getMessage() + ")");
            }
        }
    }

    private void assignShards(long maxShardSize) {
        List<TensorInfo> cur = new ArrayList<>();
        long curSize = 0;
        for (int i = 0; i < plan.size(); i++) {
            TensorInfo t = plan.get(i);
            long s = t.byteSize();
            if (!cur.isEmpty() && curSize + s > maxShardSize) {
                shards.add(cur);
                cur = new ArrayList<>();
                curSize = 0;
            }
            cur.add(t);
            curSize += s;
            shardOfTensor[i] = shards.size();
        }
        shards.add(cur); // an empty plan still writes one (empty) file
        int n = shards.size();
        for (int i = 0; i < n; i++) {
            shardNames.add(n == 1 ? SINGLE_FILE
                    : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, n));
        }
    }

    /**
     * Writes tensor data on a background thread, so the caller can compute the next tensor meanwhile.
     * At most {@code maxQueued} buffers wait at once (bounding memory); the writer then owns each buffer
     * passed to {@link #write} until it is written, so callers must not reuse it. A write error is
     * reported by the next {@code write} or by {@code commit}. Call before the first write.
     */
    public ShardedWriter background(int maxQueued) {
        if (next > 0 || background != null) {
            throw new IllegalStateException("background() must be called once, before the first write");
        }
        background = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "amalgam-shard-writer");
            t.setDaemon(true);
            return t;
        });
        inFlight = new java.util.concurrent.Semaphore(Math.max(1, maxQueued));
        return this;
    }

    /** Shard file names in order. */
    public List<String> shardNames() {
        return List.copyOf(shardNames);
    }

    /** The name the next {@link #write} call must use, or null when all tensors are written. */
    public String expectedNext() {
        return next < plan.size() ? plan.get(next).name() : null;
    }

    /** Writes the next tensor of the plan; {@code data} holds exactly its bytes (position to limit). */
    public void write(String name, ByteBuffer data) {
        if (committed) {
            throw new IllegalStateException("writer already committed");
        }
        if (next >= plan.size() || !plan.get(next).name().equals(name)) {
            throw new IllegalStateException("tensor '" + name + "' written out of plan order; expected '"
                    + expectedNext() + "'");
        }
        TensorInfo t = plan.get(next);
        if (data.remaining() != t.byteSize()) {
            throw new IllegalStateException("tensor '" + name + "': " + data.remaining() + " bytes, plan says "
                    + t.byteSize());
        }
        rethrowBackgroundFailure();
        pauseForTests();
        int shard = shardOfTensor[next];
        ByteBuffer d = data.duplicate();
        next++;
        if (background == null) {
            writeData(shard, d);
            return;
        }
        inFlight.acquireUninterruptibly();
        background.execute(() -> {
            try {
                if (backgroundFailure == null) {
                    writeData(shard, d);
                }
            } catch (Throwable failure) {
                backgroundFailure = failure;
            } finally {
                inFlight.release();
            }
        });
    }

    /** Test-only: {@code -Damalgam.test.writeDelayMillis=N} slows every tensor write, so tests can interrupt one. */
    private static void pauseForTests() {
        if (WRITE_DELAY_MILLIS > 0) {
            try {
                Thread.sleep(WRITE_DELAY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeData(int shard, ByteBuffer d) {
        try {
            openShard(shard);
            while (d.hasRemaining()) {
                current.write(d);
            }
        } catch (IOException e) {
            throw new AmalgamException(tempDir + ": write failed (" + e.getMessage() + ")");
        }
    }

    private void rethrowBackgroundFailure() {
        Throwable t = backgroundFailure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t != null) {
            throw new IllegalStateException("background shard writer failed", t);
        }
    }

    /** Waits for queued background writes to finish (no-op without a background thread). */
    private void drain() {
        if (background == null) {
            return;
        }
        background.shutdown();
        try {
            while (!background.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                // keep waiting: shards are being written
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            background.shutdownNow();
            throw new AmalgamException(tempDir + ": interrupted while writing");
        }
    }

    private void openShard(int shard) throws IOException {
        if (shard == currentShard) {
            return;
        }
        closeCurrent();
        currentShard = shard;
        current = FileChannel.open(tempDir.resolve(shardNames.get(shard)),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.wrap(SafetensorsHeaderWriter.encode(shards.get(shard), metadata));
        while (header.hasRemaining()) {
            current.write(header);
        }
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Copies a side file (config.json, tokenizer files) into the output under its own name. */
    public void copyFile(Path source) {
        String name = source.getFileName().toString();
        if (name.endsWith(".safetensors") || name.equals(INDEX_FILE)) {
            throw new IllegalArgumentException("refusing to copy a weights file: " + source);
        }
        try {
            Files.copy(source, tempDir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new AmalgamException(source + ": cannot copy to output (" + e.getMessage() + ")");
        }
    }

    /** Writes a side file (e.g. a modified config.json) into the output; {@code name} may hold folders ("heads/a/head.json"). */
    public void writeFile(String name, byte[] content) {
        writeFile(name, out -> out.write(content));
    }

    /** The content of a side file, streamed (a task head may be larger than one byte array). */
    @FunctionalInterface
    public interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    /** Writes a side file streamed by {@code content}; {@code name} is relative and may hold folders. */
    public void writeFile(String name, Content content) {
        Path target = sideFile(name);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(
                Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
            content.writeTo(out);
        } catch (IOException e) {
            throw new AmalgamException(target + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /**
     * Copies {@code source} to {@code name} (relative, may hold folders) in the output. Unlike
     * {@link #copyFile(Path)} this may copy a {@code .safetensors} file (a task head), but never onto the
     * output's own weight files.
     */
    public void copyFile(Path source, String name) {
        Path target = sideFile(name);
        try {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new AmalgamException(source + ": cannot copy to output (" + e.getMessage() + ")");
        }
    }

    /** Where side file {@code name} goes in the temporary directory (folders created); refuses weight names and escapes. */
    private Path sideFile(String name) {
        Path target = tempDir.resolve(name).normalize();
        if (!target.startsWith(tempDir) || target.equals(tempDir)) {
            throw new IllegalArgumentException("side file outside the output: " + name);
        }
        String rel = tempDir.relativize(target).toString().replace('\\', '/');
        if (rel.equals(INDEX_FILE) || shardNames.contains(rel)) {
            throw new IllegalArgumentException("refusing to write a side file over the weights: " + name);
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new AmalgamException(target.getParent() + ": cannot create (" + e.getMessage() + ")");
        }
        return target;
    }

    /** Finishes the last shard, writes the index, and renames the temporary directory to OUT. */
    public void commit() {
        if (next != plan.size()) {
            throw new IllegalStateException("commit after " + next + " of " + plan.size() + " tensors; next is '"
                    + expectedNext() + "'");
        }
        drain();
        rethrowBackgroundFailure();
        try {
            for (int s = 0; s < shards.size(); s++) {
                if (!Files.exists(tempDir.resolve(shardNames.get(s)))) {
                    openShard(s); // a shard with no data bytes still needs its header
                }
            }
            closeCurrent();
            if (shards.size() > 1) {
                writeIndex();
            }
            TempDirs.publish(tempDir, () -> {
                checkOutput(outDir, List.of());
                if (Files.isDirectory(outDir)) {
                    Files.delete(outDir); // empty, checked above
                }
                Files.move(tempDir, outDir, StandardCopyOption.ATOMIC_MOVE);
            });
            committed = true;
        } catch (IOException e) {
            throw new AmalgamException(outDir + ": cannot finish output (" + e.getMessage() + ")");
        }
    }

    private void writeIndex() throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode meta = root.putObject("metadata");
        meta.put("total_size", SafetensorsHeaderWriter.dataSize(plan));
        metadata.forEach((k, v) -> {
            if (!k.equals("format")) {
                meta.put(k, v);
            }
        });
        ObjectNode map = root.putObject("weight_map");
        for (int i = 0; i < plan.size(); i++) {
            map.put(plan.get(i).name(), shardNames.get(shardOfTensor[i]));
        }
        Files.write(tempDir.resolve(INDEX_FILE),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), StandardOpenOption.CREATE_NEW);
    }

    /** Releases files; without a prior {@link #commit()} the partial output is deleted. */
    @Override
    public void close() {
        if (background != null && !background.isTerminated()) {
            background.shutdownNow();
            try {
                background.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            closeCurrent();
        } catch (IOException ignored) {
            // deleting anyway
        }
        if (!committed) {
            TempDirs.discard(tempDir);
        }
    }
}
