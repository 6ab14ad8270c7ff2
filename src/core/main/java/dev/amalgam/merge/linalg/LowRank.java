package dev.amalgam.merge.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Spectral building blocks shared by CART, TSV-M and Iso-CTS. */
public final class LowRank {
    private LowRank() {
    }

    /** U[:, :k] · diag(S[:k]) · Vh[:k, :], the best rank-k approximation; zeros when k == 0. */
    public static NDArray truncated(Svd.Thin f, int k) {
        if (k <= 0) {
            return f.u().getManager().zeros(new ai.djl.ndarray.types.Shape(f.u().getShape().get(0),
                    f.vh().getShape().get(1)), f.u().getDataType(), f.u().getDevice());
        }
        NDArray uk = f.u().get(new NDIndex(":, :{}", k));
        NDArray sk = f.s().get(new NDIndex(":{}", k));
        NDArray vk = f.vh().get(new NDIndex(":{}, :", k));
        return uk.mul(sk.reshape(1, k)).matMul(vk);
    }

    /**
     * Orthogonalises the concatenated singular bases and recombines them: polar(U) · diag(S) ·
     * polar(Vh) (TSV-M, Iso-CTS). Columns of U / rows of Vh that pair with S = 0 do not affect the
     * result as long as the non-zero blocks have full rank.
     */
    public static NDArray orthogonalRecombine(NDArray u, NDArray s, NDArray vh) {
        java.util.List<NDArray> polars = Concurrent.map(java.util.List.of(u, vh), Svd::polar);
        NDArray uOrth = polars.get(0);
        NDArray vhOrth = polars.get(1);
        return uOrth.mul(s.reshape(1, s.getShape().get(0))).matMul(vhOrth);
    }

    /**
     * Smallest k whose leading singular values carry at least {@code threshold} of the energy
     * Σ s²; 0 for an all-zero spectrum or threshold 0.
     */
    public static int energyRank(float[] s, double threshold) {
        double total = 0;
        for (float v : s) {
            total += (double) v * v;
        }
        if (total == 0 || threshold <= 0) {
            return 0;
        }
        double acc = 0;
        for (int i = 0; i < s.length; i++) {
            acc += (double) s[i] * s[i];
            if (acc / total >= threshold) {
                return i + 1;
            }
        }
        return s.length;
    }
}
