package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.bench.BenchChild;
import dev.amalgam.bench.SyntheticCheckpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code amalgam bench merge}: wall time, CPU time and peak RSS per merge method on full-size synthetic pools
 * (CLIP ViT-B/32 vision tower, base + 8 tasks, F32; Llama-shaped 1.1 B, base + 2, BF16), each run in
 * its own JVM, against the read+convert+write floor measured in the same run.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge wall time, CPU time and peak RSS per method vs the read+write floor (full-size synthetic checkpoints).")
final class BenchMergeCommand implements Callable<Integer> {
    /**
     * Amalgam's engine methods (paper variants chosen by their keys), then MergeKit's (docs/mergekit.md).
     * Not wudi: its 400 Adam steps per matrix take tens of minutes on a few cores (name it with --methods).
     */
    static final List<String> VIT_METHODS = List.of("weight_average", "task_arithmetic:weights=1,1,1,1,1,1,1,1", "ties:scope=global",
            "ties:scope=tensor", "dare", "breadcrumbs:variant=rows", "consensus", "tall_masks", "emr",
            "model_stock:average=cosine", "task_arithmetic:weights=1,1,1,1,1,1,1,1:lwptv=1", "ties:scope=global:lwptv=1", "cart", "tsv_m",
            "iso_c", "iso_cts",
            "task_arithmetic:weight=0.3", "ties:weight=1:density=0.2", "dare_ties:weight=1:density=0.5",
            "dare_linear:weight=1:density=0.5", "breadcrumbs:weight=1:density=0.9", "breadcrumbs_ties:weight=1:density=0.9",
            "della:weight=1:density=0.5", "della_linear:weight=1:density=0.5", "sce:select_topk=0.5", "linear:weight=1",
            "model_stock", "model_stock:filter_wise=true", "multislerp:weight=1", "karcher");
    static final List<String> LLAMA_METHODS = List.of("task_arithmetic:weights=1,1", "ties:scope=tensor", "dare", "weight_average",
            "task_arithmetic:weight=1", "ties:weight=1:density=0.2", "dare_ties:weight=1:density=0.5",
            "breadcrumbs:weight=1:density=0.9", "della:weight=1:density=0.5", "slerp:t=0.5", "nuslerp:weight=1",
            "arcee_fusion");

    @Option(names = "--suite", defaultValue = "all", description = "vit-b32, llama-1b or all (default ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--llama-layers", defaultValue = "16",
            description = "Decoder layers of the Llama-shaped pool (default ${DEFAULT-VALUE}: 1.1 B; the largest tensor does not depend on it).")
    int llamaLayers;

    // A comma separates methods only where a method name follows, so list values stay whole
    // (task_arithmetic:weights=1,1,1,1,1,1,1,1,ties:scope=tensor is two methods).
    @Option(names = "--methods", split = ",(?=[a-z_][a-z0-9_-]*(:|,|$))", splitSynopsisLabel = ",",
            description = "Subset of methods (name or name:key=value[:key=value...]); list values may contain commas.")
    List<String> methods;

    @Option(names = "--dir", description = "Where the synthetic checkpoints are kept (default <tmp>/amalgam-bench/merge).")
    Path dir;

    @Option(names = "--out", defaultValue = "bench-results", description = "Result directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of each measured JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
        Path root = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"), "amalgam-bench", "merge");
        if (suite.equals("vit-b32") || suite.equals("all")) {
            bench(root.resolve("vit-b32"), "CLIP ViT-B/32 vision tower, base + 8 tasks, F32",
                    SyntheticCheckpoints.clipVitB32(), DType.F32, 8, methods != null ? methods : VIT_METHODS, "merge-vit-b32");
        }
        if (suite.equals("llama-1b") || suite.equals("all")) {
            String tag = llamaLayers == 16 ? "llama-1b" : "llama-" + llamaLayers + "l";
            List<TensorInfo> spec = SyntheticCheckpoints.llama(llamaLayers);
            double billions = spec.stream().mapToLong(TensorInfo::numel).sum() / 1e9;
            bench(root.resolve(tag), String.format(java.util.Locale.ROOT, "Llama-shaped %.2fB (%d layers), base + 2 tasks, BF16",
                    billions, llamaLayers), spec, DType.BF16, 2, methods != null ? methods : LLAMA_METHODS, "merge-" + tag);
        }
        if (!List.of("vit-b32", "llama-1b", "all").contains(suite)) {
            throw new AmalgamException("--suite must be vit-b32, llama-1b or all");
        }
        return 0;
    }

    private void bench(Path pool, String title, List<TensorInfo> spec, DType dtype, int tasks, List<String> list,
                       String baseName) throws Exception {
        System.err.println("bench merge: preparing " + title + " in " + pool);
        for (int i = 0; i <= tasks; i++) {
            SyntheticCheckpoints.write(pool.resolve(i == 0 ? "base" : "task" + i), spec, dtype, i);
        }
        long largest = spec.stream().mapToLong(TensorInfo::numel).max().orElse(0) * 4;
        long params = spec.stream().filter(t -> t.dtype().isFloat()).mapToLong(TensorInfo::numel).sum();
        Path outs = Files.createTempDirectory(pool.getParent(), "outputs");
        try {
            double[] idle = child(pool, tasks, outs.resolve("idle"), "idle");
            child(pool, tasks, outs.resolve("warm"), "floor"); // warm the page cache
            double[] floor = child(pool, tasks, outs.resolve("floor"), "floor");
            List<List<String>> rows = new ArrayList<>();
            rows.add(row("floor (read+convert+write, output = base)", floor, floor, idle));
            for (String m : list) {
                double[] r = child(pool, tasks, outs.resolve(m.replaceAll("[^a-z0-9_]", "-")), m);
                rows.add(row(m, r, floor, idle));
                System.err.println("bench merge: " + m + " " + BenchResults.f(r[0], 1) + " s (CPU " + BenchResults.f(r[4], 1)
                        + " s; floor " + BenchResults.f(floor[0], 1) + " s, CPU " + BenchResults.f(floor[4], 1) + " s)");
            }
            double budgetMb = ((tasks + 2) * largest) / 1e6 + 300;
            String md = BenchResults.write(out, baseName, "amalgam bench merge: " + title, List.of(
                    params + " float parameters; largest tensor " + largest / 1_000_000 + " MB in F32; inputs memory-mapped, hot page cache",
                    "each row is a fresh JVM (-Xmx" + heap + "); peak RSS = VmHWM; 'above idle' subtracts a JVM that only started libtorch ("
                            + BenchResults.f(idle[1] / 1024, 0) + " MB, of which " + BenchResults.f(idle[2] / 1024, 0) + " MB anonymous)",
                    "anon / file = peaks of RssAnon (allocations: heap, tensors, malloc) and RssFile (mapped file pages, droppable page cache),"
                            + " sampled every 10 ms from /proc/self/status; 'anon above idle' subtracts the idle JVM's anonymous peak",
                    "memory target (T+2) x largest tensor + 300 MB = " + BenchResults.f(budgetMb, 0) + " MB (compare with 'anon above idle')",
                    "machine: " + Runtime.getRuntime().availableProcessors() + " cores"),
                    List.of("method", "wall s", "x floor", "CPU s", "CPU x floor", "peak RSS MB", "above idle MB", "peak anon MB", "peak file MB",
                            "anon above idle MB"), rows);
            System.out.println(md);
        } finally {
            try (var w = Files.walk(outs)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> row(String m, double[] r, double[] floor, double[] idle) {
        return List.of(m, BenchResults.f(r[0], 2), BenchResults.f(r[0] / floor[0], 2), BenchResults.f(r[4], 2),
                BenchResults.f(r[4] / floor[4], 2), BenchResults.f(r[1] / 1024, 0),
                BenchResults.f((r[1] - idle[1]) / 1024, 0), BenchResults.f(r[2] / 1024, 0), BenchResults.f(r[3] / 1024, 0),
                BenchResults.f((r[2] - idle[2]) / 1024, 0));
    }

    /** Runs one measurement in a fresh JVM; returns {wall seconds, VmHWM kB, peak RssAnon kB, peak RssFile kB, CPU seconds}. */
    private double[] child(Path pool, int tasks, Path outDir, String spec) throws Exception {
        String[] parts = spec.split(":");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), BenchChild.class.getName(),
                pool.toString(), Integer.toString(tasks), outDir.toString(), parts[0]));
        cmd.addAll(Arrays.asList(parts).subList(1, parts.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new AmalgamException("bench merge: '" + spec + "' failed: " + log.toString().strip().replace('\n', ' '));
        }
        String[] f = result.split(" ");
        return new double[]{Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Double.parseDouble(f[5])};
    }
}
