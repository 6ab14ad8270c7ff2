package dev.amalgam.merge.mergekit;

import dev.amalgam.cli.Main;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.DTypeConversion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs {@code amalgam merge RECIPE} in-process and reads the result, for the MergeKit parity tests. */
final class MergeKitRun {
    private MergeKitRun() {
    }

    /** Writes the recipe, merges into {@code out}, and returns the output's tensors as floats. */
    static Map<String, float[]> merge(Path recipe, String yaml, Path out) throws IOException {
        Files.writeString(recipe, yaml);
        String err = run("merge", recipe.toString(), "--out", out.toString());
        if (!Files.isDirectory(out)) {
            fail("merge failed: " + err + "\n" + yaml);
        }
        return read(out);
    }

    /** Runs the CLI; returns its stderr (exit code checked by the caller through the output's existence). */
    static String run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            Main.execute(args);
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    /** Runs a merge that must fail; returns its one error line. */
    static String error(Path recipe, String yaml, Path out) throws IOException {
        Files.writeString(recipe, yaml);
        String err = run("merge", recipe.toString(), "--out", out.toString());
        assertTrue(!Files.exists(out), "no output on error: " + out);
        String[] lines = err.lines().filter(l -> l.startsWith("amalgam: error:")).toArray(String[]::new);
        assertEquals(1, lines.length, err);
        return lines[0];
    }

    static Map<String, float[]> read(Path dir) {
        Map<String, float[]> m = new LinkedHashMap<>();
        try (Checkpoint c = Checkpoints.open(dir)) {
            for (String n : c.names()) {
                m.put(n, DTypeConversion.toFloatArray(c.bytes(n), c.info(n).dtype()));
            }
        }
        return m;
    }

    static DType dtypeOf(Path dir, String tensor) {
        try (Checkpoint c = Checkpoints.open(dir)) {
            return c.info(tensor).dtype();
        }
    }

    /** Rounds values to a dtype and back, as MergeKit's {@code dtype:} does to its inputs. */
    static double[] round(double[] v, DType d) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        float[] r = DTypeConversion.toFloatArray(DTypeConversion.fromFloatArray(f, d), d);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = r[i];
        }
        return out;
    }

    /**
     * Compares a merged tensor with the reference: within {@code rel}·max(1, |ref|) per entry, after the
     * reference is rounded to the output dtype (so BF16/F16 outputs are held to their own rounding).
     */
    static void close(String what, double[] ref, float[] got, DType outDtype, double rel) {
        assertEquals(ref.length, got.length, what);
        double[] r = outDtype == DType.F32 ? ref : round(ref, outDtype);
        double ulp = outDtype == DType.BF16 ? 0x1p-8 : outDtype == DType.F16 ? 0x1p-11 : 0;
        for (int i = 0; i < ref.length; i++) {
            double tol = Math.max(rel, 2 * ulp) * Math.max(1, Math.abs(ref[i]));
            if (!(Math.abs(r[i] - got[i]) <= tol)) {
                fail(what + "[" + i + "]: expected " + r[i] + " (exact " + ref[i] + "), got " + got[i] + ", tolerance " + tol);
            }
        }
    }
}
