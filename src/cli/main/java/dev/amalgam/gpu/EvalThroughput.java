package dev.amalgam.gpu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.clip.ClipConfig;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.report.Progress;

import java.util.List;
import java.util.Locale;

/**
 * (c3) Evaluation throughput: images/s of the CLIP image encoder ({@link ClipModel#imageFeatures}) with
 * ViT-B/32-shaped random weights (224 px, patch 32, width 768, 12 heads, MLP 3072) at F32 and F16 on the
 * device under test, inference only; the F16 row also reports how far its features fall from the F32
 * features of the same batch (max |Δ| / max |F32|). BF16 is reported as not run: DJL 0.35.1's JNI maps no
 * dtype code to bfloat16 and aborts the whole process on such an array (docs/gpu.md#bf16).
 */
public final class EvalThroughput {
    /** Batch, warm-up and timed iterations, and encoder depth (12 for ViT-B/32). */
    public record Settings(int batch, int warmup, int iters, int layers) {
    }

    private EvalThroughput() {
    }

    public static void run(Device device, Settings s, CheckTable table) {
        float[] f32 = null;
        try (Progress bar = Progress.start("gpu-check throughput", 2)) {
            for (DataType dtype : List.of(DataType.FLOAT32, DataType.FLOAT16)) {
                bar.message(dtype.toString());
                try (NDManager m = NDManager.newBaseManager(device)) {
                    f32 = measure(device, s, dtype, m, f32, table);
                } catch (RuntimeException e) {
                    table.add(CheckTable.Row.error("c3 throughput", "ViT-B/32 image encoder, " + name(dtype), e));
                }
                bar.step();
            }
        }
        table.add(new CheckTable.Row("c3 throughput", "ViT-B/32 image encoder, BF16", "images/s on " + GpuCheck.label(device),
                Double.NaN, "—", null, "not run: DJL 0.35.1's JNI aborts the process on BFLOAT16 arrays (docs/gpu.md#bf16)"));
    }

    /** One precision's row; returns the F32 features of the last batch (the reference for the others). */
    private static float[] measure(Device device, Settings s, DataType dtype, NDManager m, float[] f32, CheckTable table) {
        HfConfig cfg = new HfConfig(ForwardParity.clipConfig(224, 32, 768, 3072, s.layers(), 12)
                .put("projection_dim", 512), "gpu-check ViT-B/32");
        ClipModel model = ClipModel.load(cfg,
                new SeededWeights(ClipModel.declare(ClipConfig.from(cfg)).shapes(), 32, dtype), m);
        NDArray pixels = m.create(ForwardParity.inputs(s.batch() * 3 * 224 * 224, 7),
                new Shape(s.batch(), 3, 224, 224)).toType(dtype, false);
        float[] features = null;
        long timed = 0;
        for (int i = 0; i < s.warmup() + s.iters(); i++) {
            try (NDManager step = m.newSubManager()) {
                pixels.tempAttach(step);
                long t0 = System.nanoTime();
                // copying the features to the host waits for the device, so the time is the whole forward
                features = model.imageFeatures(pixels).toType(DataType.FLOAT32, false).toFloatArray();
                if (i >= s.warmup()) {
                    timed += System.nanoTime() - t0;
                }
            }
        }
        double rate = (double) s.batch() * s.iters() / (timed / 1e9);
        String note = "batch " + s.batch() + ", " + s.layers() + " layers, " + s.warmup() + "+" + s.iters()
                + " iterations";
        if (f32 == null) {
            f32 = features;
        } else {
            note += String.format(Locale.ROOT, ", features vs F32: max abs Δ / max abs F32 = %.2e",
                    relativeDiff(f32, features));
        }
        table.add(new CheckTable.Row("c3 throughput", "ViT-B/32 image encoder, " + name(dtype),
                "images/s on " + GpuCheck.label(device), rate, "—", null, note));
        return f32;
    }

    static String name(DataType d) {
        return d == DataType.FLOAT32 ? "F32" : "F16";
    }

    static double relativeDiff(float[] ref, float[] x) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs((double) ref[i] - x[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
