package dev.amalgam.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.recipe.MergeRecipe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark measurement in a fresh JVM, so that peak RSS (VmHWM) belongs to that run alone.
 * Usage: BenchChild POOL_DIR TASKS OUT_DIR METHOD [key=value ...]; METHOD "floor" streams every
 * input to F32 and writes the base back (the read+convert+write floor), "idle" only starts the engine.
 * Prints one line: {@code RESULT <wall seconds> <peak RSS kB> <peak RssAnon kB> <peak RssFile kB> <CPU seconds>}
 * (VmHWM, then the sampled peaks of anonymous and file-backed resident memory, see {@link RssSampler},
 * then the process's user + system CPU time over the measured part: on a shared machine it moves far
 * less with other load than wall time does).
 */
public final class BenchChild {
    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        Path pool = Path.of(args[0]);
        int tasks = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        String method = args[3];
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        RssSampler sampler = new RssSampler(10);
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        if (method.equals("idle")) {
            try (NDManager m = NDManager.newBaseManager()) {
                m.ones(new ai.djl.ndarray.types.Shape(4)).sum().getFloat();
            }
        } else {
            List<MergeRecipe.ModelEntry> models = new ArrayList<>();
            for (int t = 1; t <= tasks; t++) {
                models.add(new MergeRecipe.ModelEntry(pool.resolve("task" + t), "task" + t, Map.of()));
            }
            Object lwptv = params.remove("lwptv");
            MergeRecipe r = new MergeRecipe(method, method.equals("floor") ? "task_arithmetic" : method, pool.resolve("base"),
                    models, params, null, "base", null, 0, lwptv == null ? null : Map.of());
            MergeJob.Options o = new MergeJob.Options(out, null, 5L << 30, Device.cpu(), false, StreamingExecutor.Progress.NONE);
            if (method.equals("floor")) {
                MergeJob.runWith(r, o, new Passthrough());
            } else {
                MergeJob.run(r, o);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuNanos() - cpuStart) / 1e9;
        sampler.close();
        System.out.printf(java.util.Locale.ROOT, "RESULT %.3f %d %d %d %.3f%n", wall, peakRssKb(), sampler.peakAnonKb(),
                sampler.peakFileKb(), cpu);
    }

    /** User + system CPU time of this process (every thread, native ones included). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long peakRssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return RssSampler.kb(line);
            }
        }
        return -1;
    }

    /** θ = θ_0: measures reading, converting and writing with no merge maths. */
    static final class Passthrough implements MergeMethod {
        public String name() {
            return "floor";
        }

        public String describe() {
            return "read+convert+write floor (output = base)";
        }

        public NDArray merge(TensorStep step) {
            return step.base();
        }
    }
}
