package dev.amalgam.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.DType;
import dev.amalgam.io.SafetensorsFile;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.tensor.TensorBridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code amalgam bench io}: page-cache read throughput of the safetensors reader against
 * {@code cat FILE > /dev/null} on the same file (created once, Llama-like shapes, F32).
 */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Read throughput of the safetensors reader vs cat (hot page cache).")
final class BenchIoCommand implements Callable<Integer> {
    private static final int HIDDEN = 2048;
    private static final int FFN = 5632;
    private static final int VOCAB = 32000;

    @Option(names = "--size", defaultValue = "2.5GB", description = "Test file size (default ${DEFAULT-VALUE}; "
            + "above 2 GiB so offsets beyond int range are exercised).")
    String size;

    @Option(names = "--dir", description = "Where the test file is kept (default: <tmp>/amalgam-bench).")
    Path dir;

    @Option(names = "--out", defaultValue = "bench-results", description = "Result directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--repeats", defaultValue = "3", description = "Best of N (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--threads", description = "Reader threads for the parallel row (default: available cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        long target = ByteSizes.parse(size);
        Path base = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "amalgam-bench");
        Path modelDir = base.resolve("io-" + target);
        Path file = modelDir.resolve(ShardedWriter.SINGLE_FILE);
        if (!Files.isRegularFile(file)) {
            log.println("bench io: creating " + file + " ...");
            log.flush();
            create(modelDir, plan(target));
        }
        long bytes = Files.size(file);
        int tensors;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            tensors = f.names().size();
        }
        String loadBefore = loadAverage();
        cat(file); // warm the page cache
        double catS = best(() -> cat(file));
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        double rawS = best(() -> readAll(file, false, 1));
        double parS = best(() -> readAll(file, false, nThreads));
        double ndS = best(() -> readAll(file, true, 1));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("cat FILE > /dev/null", bytes, catS, catS));
        rows.add(row("Amalgam reader, every byte touched (map, read, unmap per tensor), 1 thread", bytes, rawS, catS));
        rows.add(row("Amalgam reader, every byte touched, " + nThreads + " threads", bytes, parS, catS));
        rows.add(row("Amalgam reader → F32 NDArray (TensorBridge.toF32), 1 thread", bytes, ndS, catS));
        List<String> notes = List.of(
                "date " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible, Java "
                        + System.getProperty("java.version"),
                "file " + file + ": " + ByteSizes.format(bytes) + ", " + tensors + " F32 tensors, hot page cache, best of "
                        + repeats,
                "load average before/after: " + loadBefore + " / " + loadAverage());
        String md = BenchResults.write(out, "io", "amalgam bench io", notes,
                List.of("what", "bytes", "best s", "GB/s", "vs cat"), rows);
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<String> row(String what, long bytes, double s, double catS) {
        return List.of(what, Long.toString(bytes), BenchResults.f(s, 3), BenchResults.f(bytes / s / 1e9, 2),
                BenchResults.f(catS / s, 2));
    }

    interface Task {
        void run() throws Exception;
    }

    private double best(Task t) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, repeats); i++) {
            long t0 = System.nanoTime();
            t.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static void cat(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cat", file.toString())
                .redirectOutput(new File("/dev/null")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.waitFor() != 0) {
            throw new AmalgamException("cat " + file + " failed");
        }
    }

    static long sink;

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Reads every tensor through the reader; tensors are shared out to {@code nThreads} threads. */
    private static void readAll(Path file, boolean toNdArray, int nThreads) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            List<String> names = f.names();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
            Runnable worker = () -> {
                long s = 0;
                long[] chunk = new long[1 << 14];
                for (int i = next.getAndIncrement(); i < names.size(); i = next.getAndIncrement()) {
                    String n = names.get(i);
                    if (toNdArray) {
                        try (NDManager m = NDManager.newBaseManager()) {
                            NDArray a = TensorBridge.toF32(m, f, n);
                            s += a.getShape().size();
                        }
                    } else {
                        s += f.withBytes(n, b -> touch(b, chunk));
                    }
                }
                total.addAndGet(s);
            };
            List<Thread> ts = new ArrayList<>();
            for (int t = 1; t < nThreads; t++) {
                Thread th = new Thread(worker, "bench-io-" + t);
                th.start();
                ts.add(th);
            }
            worker.run();
            for (Thread th : ts) {
                th.join();
            }
            sink += total.get();
        }
    }

    /** Reads every byte: bulk-copies 128 KiB at a time into {@code chunk} and sums it. */
    static long touch(ByteBuffer b, long[] chunk) {
        long s = 0;
        java.nio.LongBuffer lb = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        while (lb.hasRemaining()) {
            int k = Math.min(chunk.length, lb.remaining());
            lb.get(chunk, 0, k);
            for (int i = 0; i < k; i++) {
                s += chunk[i];
            }
        }
        for (int i = b.remaining() & ~7; i < b.remaining(); i++) {
            s += b.get(i);
        }
        return s;
    }

    /** Llama-like F32 shapes (hidden 2048, FFN 5632, vocab 32000) until the target size is reached. */
    static List<TensorInfo> plan(long target) {
        List<TensorInfo> plan = new ArrayList<>();
        plan.add(new TensorInfo("model.embed_tokens.weight", DType.F32, new long[] {VOCAB, HIDDEN}));
        plan.add(new TensorInfo("lm_head.weight", DType.F32, new long[] {VOCAB, HIDDEN}));
        plan.add(new TensorInfo("model.norm.weight", DType.F32, new long[] {HIDDEN}));
        long total = 2L * VOCAB * HIDDEN * 4 + HIDDEN * 4L;
        for (int layer = 0; total < target; layer++) {
            String p = "model.layers." + layer + ".";
            for (String w : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                plan.add(new TensorInfo(p + "self_attn." + w + ".weight", DType.F32, new long[] {HIDDEN, HIDDEN}));
            }
            plan.add(new TensorInfo(p + "mlp.gate_proj.weight", DType.F32, new long[] {FFN, HIDDEN}));
            plan.add(new TensorInfo(p + "mlp.up_proj.weight", DType.F32, new long[] {FFN, HIDDEN}));
            plan.add(new TensorInfo(p + "mlp.down_proj.weight", DType.F32, new long[] {HIDDEN, FFN}));
            plan.add(new TensorInfo(p + "input_layernorm.weight", DType.F32, new long[] {HIDDEN}));
            plan.add(new TensorInfo(p + "post_attention_layernorm.weight", DType.F32, new long[] {HIDDEN}));
            total += (4L * HIDDEN * HIDDEN + 3L * FFN * HIDDEN + 2L * HIDDEN) * 4;
        }
        return plan;
    }

    private static void create(Path modelDir, List<TensorInfo> plan) {
        long max = plan.stream().mapToLong(TensorInfo::byteSize).max().orElse(0);
        ByteBuffer noise = ByteBuffer.allocate(Math.toIntExact(max + 4096)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer fb = noise.asFloatBuffer();
        Random r = new Random(42);
        while (fb.hasRemaining()) {
            fb.put((float) (r.nextGaussian() * 0.02));
        }
        try (ShardedWriter w = new ShardedWriter(modelDir, plan, Long.MAX_VALUE,
                Map.of("amalgam_bench", "io"), List.of())) {
            int shift = 0;
            for (TensorInfo t : plan.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
                shift = (shift + 4) % 4096;
                w.write(t.name(), noise.slice(shift, (int) t.byteSize()));
            }
            w.commit();
        }
    }
}
