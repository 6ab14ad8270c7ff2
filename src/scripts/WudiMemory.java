import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.ops.Adam;
import dev.amalgam.merge.ops.WudiObjective;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WUDI's memory by phase (docs/performance.md, "Where WUDI's extra memory goes"): the merged update of
 * random [8, out, in] stacks of the ViT-B/32 MLP shapes, fc1 and fc2 alternating, one manager per
 * matrix; VmHWM / VmRSS / RssAnon and the JVM heap after each phase. Run with amalgam's malloc settings:
 *   MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_ARENA_MAX=1 \
 *   java -Dai.djl.offline=true -cp 'target/amalgam.jar:target/lib/*' src/scripts/WudiMemory.java MATRICES STEPS
 */
public class WudiMemory {
    static String status() throws Exception {
        StringBuilder s = new StringBuilder();
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM") || l.startsWith("VmRSS") || l.startsWith("RssAnon")) {
                s.append(l.replaceAll("\\s+", " ")).append("  ");
            }
        }
        Runtime r = Runtime.getRuntime();
        return s + String.format("heap committed %d MB used %d MB", r.totalMemory() >> 20, (r.totalMemory() - r.freeMemory()) >> 20);
    }

    public static void main(String[] a) throws Exception {
        int matrices = Integer.parseInt(a[0]);
        int steps = Integer.parseInt(a[1]);
        System.out.println("started   " + status());
        long[][] shapes = {{3072, 768}, {768, 3072}};
        for (int i = 0; i < matrices; i++) {
            long[] sh = shapes[i % 2];
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray stacked = m.randomNormal(0, 0.01f, new Shape(8, sh[0], sh[1]), DataType.FLOAT32);
                stacked.getFloat(0, 0, 0);
                System.out.println("matrix " + i + " stacked   " + status());
                NDArray start = stacked.sum(new int[] {0});
                NDArray d = start.zerosLike();
                try (WudiObjective o = WudiObjective.of(stacked, start)) {
                    System.out.println("matrix " + i + " objective " + status());
                    try (Adam adam = new Adam(d, 1e-5)) {
                        for (int k = 0; k < steps; k++) {
                            try (NDScope s = new NDScope()) {
                                s.suppressNotUsedWarning();
                                adam.step(o.gradient(d));
                            }
                        }
                    }
                }
                System.out.println("matrix " + i + " steps     " + status());
            }
        }
    }
}
