package dev.amalgam.gpu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.bench.SyntheticCheckpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.SafetensorsFile;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.job.MergeMethods;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.data.DataAwareMethod;
import dev.amalgam.recipe.MergeRecipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * (c2) Merge parity: every engine method, with its defaults, merges the same synthetic CLIP-vision
 * checkpoints (base + 3 fine-tunes, F32) through the production path ({@link MergeJob}) once on the
 * reference device and once on the device under test; every tensor of every written safetensors file is
 * compared. Data-aware methods need task data and a model pass, which this check does not build.
 */
public final class MergeParity {
    public static final double LIMIT = 1e-6;
    private static final int TASKS = 3;

    private MergeParity() {
    }

    public static void run(Device reference, Device test, Path work, CheckTable table) {
        List<TensorInfo> spec = SyntheticCheckpoints.clipVision(32, 64, 2, 8, 17, 24);
        Path base = work.resolve("base");
        SyntheticCheckpoints.write(base, spec, DType.F32, 0);
        List<MergeRecipe.ModelEntry> models = new ArrayList<>();
        for (int t = 1; t <= TASKS; t++) {
            Path ft = work.resolve("task" + t);
            SyntheticCheckpoints.write(ft, spec, DType.F32, t);
            models.add(new MergeRecipe.ModelEntry(ft, "task" + t, Map.of()));
        }
        for (MergeMethods.Entry e : MergeMethods.entries()) {
            MergeMethod probe = e.factory().apply(MethodParams.of(e.name()));
            if (DataAwareMethod.of(probe) != null) {
                table.add(new CheckTable.Row("c2 merge", e.name(), "not run", Double.NaN, "1e-6", null,
                        "data-aware: needs task data (its CPU tests cover it)"));
                continue;
            }
            MergeRecipe recipe = new MergeRecipe("gpu-check " + e.name(), e.name(), base, models, Map.of(), null,
                    null, null, 0, null);
            Diff d;
            try {
                Path a = merge(recipe, e, reference, work.resolve(e.name() + "-" + reference.getDeviceType()));
                Path b = merge(recipe, e, test, work.resolve(e.name() + "-" + test.getDeviceType() + "-test"));
                d = compare(a, b);
            } catch (RuntimeException ex) {
                table.add(CheckTable.Row.error("c2 merge", e.name(), ex));
                continue;
            }
            table.add(new CheckTable.Row("c2 merge", e.name(), "max abs(" + GpuCheck.label(test) + " − " + GpuCheck.label(reference) + ")", d.max(), "1e-6",
                    d.max() <= LIMIT, d.tensors() + " tensors" + (d.bitExact() ? ", bit-exact" : "")));
        }
    }

    private static Path merge(MergeRecipe recipe, MergeMethods.Entry e, Device device, Path out) {
        MergeMethod method = e.factory().apply(MethodParams.of(e.name()));
        MergeJob.runWith(recipe, new MergeJob.Options(out, DType.F32, 1L << 40, device, false,
                StreamingExecutor.Progress.NONE), method);
        return out;
    }

    /** Largest element-wise difference over all tensors both outputs hold; bit-exact when every byte agrees. */
    record Diff(double max, int tensors, boolean bitExact) {
    }

    static Diff compare(Path a, Path b) {
        Map<String, Path> fa = safetensors(a);
        Map<String, Path> fb = safetensors(b);
        if (!fa.keySet().equals(fb.keySet())) {
            return new Diff(Double.POSITIVE_INFINITY, 0, false);
        }
        double max = 0;
        int n = 0;
        boolean exact = true;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Map.Entry<String, Path> f : fa.entrySet()) {
                try (SafetensorsFile x = SafetensorsFile.open(f.getValue());
                     SafetensorsFile y = SafetensorsFile.open(fb.get(f.getKey()))) {
                    if (!x.names().equals(y.names())) {
                        return new Diff(Double.POSITIVE_INFINITY, n, false);
                    }
                    for (String name : x.names()) {
                        exact &= x.bytes(name).equals(y.bytes(name));
                        if (x.info(name).dtype().isFloat()) {
                            try (NDManager step = m.newSubManager()) {
                                NDArray u = dev.amalgam.tensor.TensorBridge.toF32(step, x, name);
                                NDArray v = dev.amalgam.tensor.TensorBridge.toF32(step, y, name);
                                double d = u.sub(v).abs().max().getFloat();
                                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                            }
                        }
                        n++;
                    }
                }
            }
        }
        return new Diff(max, n, exact);
    }

    private static Map<String, Path> safetensors(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .forEach(p -> files.put(dir.relativize(p).toString(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
