package dev.amalgam.merge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.merge.linalg.Svd;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timing of the SVD methods on one ViT-B/32 transformer layer (width 768) × 8 tasks. Not a test
 * (surefire does not pick it up). Prints wall time and the process's CPU time (all threads: the
 * methods run per-task decompositions on every core), which is the work itself even on a loaded
 * machine; wall ≈ CPU / cores on an idle one.
 * <pre>
 *   mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.amalgam.merge.SvdMethodBench [threads] [methods]
 * </pre>
 */
public final class SvdMethodBench {
    static final int TASKS = 8;
    static final long[][] LAYER = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}};
    static final String[] NAMES = {"resblocks.0.attn.in_proj_weight", "resblocks.0.attn.out_proj.weight",
            "resblocks.0.mlp.c_fc.weight", "resblocks.0.mlp.c_proj.weight"};
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private SvdMethodBench() {
    }

    public static void main(String[] args) {
        Engine.getInstance();
        if (args.length > 0) {
            JniUtils.setNumThreads(Integer.parseInt(args[0]));
        }
        String methods = args.length > 1 ? args[1] : "svd,cart,tsv_m,iso_c,iso_cts";
        System.out.printf(Locale.ROOT, "libtorch intra-op threads %d, inter-op %d, cores %d%n",
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), Runtime.getRuntime().availableProcessors());
        if (methods.contains("svd")) {
            try (NDManager root = NDManager.newBaseManager()) {
                for (long[] s : LAYER) {
                    NDArray x = root.randomNormal(new Shape(s)).muli(0.01f);
                    Svd.thin(x).close(); // warm-up
                    long w = System.nanoTime(), c = OS.getProcessCpuTime();
                    Svd.thin(x).close();
                    System.out.printf(Locale.ROOT, "svd %dx%d: wall %.3f s, cpu %.3f s%n", s[0], s[1],
                            (System.nanoTime() - w) / 1e9, (OS.getProcessCpuTime() - c) / 1e9);
                }
            }
        }
        List<MergeMethod> all = new ArrayList<>();
        for (String m : methods.split(",")) {
            switch (m) {
                case "cart": all.add(Cart.fromParams(MethodParams.of("cart"))); break;
                case "tsv_m": all.add(Tsvm.fromParams(MethodParams.of("tsv_m"))); break;
                case "iso_c": all.add(IsoC.fromParams(MethodParams.of("iso_c"))); break;
                case "iso_cts": all.add(IsoCts.fromParams(MethodParams.of("iso_cts"))); break;
                default: break;
            }
        }
        for (MergeMethod m : all) {
            double wall = 0, cpu = 0;
            StringBuilder per = new StringBuilder();
            for (int i = 0; i < LAYER.length; i++) {
                try (NDManager mgr = NDManager.newBaseManager()) {
                    Shape shape = new Shape(LAYER[i]);
                    NDArray base = mgr.randomNormal(shape).muli(0.02f);
                    List<NDArray> tvs = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (int t = 0; t < TASKS; t++) {
                        tvs.add(mgr.randomNormal(shape).muli(1e-3f));
                        names.add("t" + t);
                    }
                    TensorStep step = new TensorStep(new TensorInfo(NAMES[i], DType.F32, LAYER[i]), "layer0", mgr, base, tvs, names);
                    long w = System.nanoTime(), c = OS.getProcessCpuTime();
                    m.merge(step).close();
                    double ws = (System.nanoTime() - w) / 1e9, cs = (OS.getProcessCpuTime() - c) / 1e9;
                    wall += ws;
                    cpu += cs;
                    per.append(String.format(Locale.ROOT, " %dx%d %.2f/%.2fs", LAYER[i][0], LAYER[i][1], ws, cs));
                }
            }
            System.out.printf(Locale.ROOT, "%s: one layer wall %.1f s, cpu %.1f s (wall/cpu:%s); x12 layers ≈ wall %.0f s, cpu %.0f s%n",
                    m.describe(), wall, cpu, per, 12 * wall, 12 * cpu);
        }
    }
}
