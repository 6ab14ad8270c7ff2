package dev.amalgam.merge.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The SVD of x [m, n] through the eigendecomposition of its smaller Gram matrix, in float64: with
 * r = min(m, n), G = xᵀx [n, n] (m ≥ n) or xxᵀ [m, m] has eigenvalues s² and eigenvectors V (or U);
 * the other factor is x·V / s (or Uᵀ·x / s). On one CPU thread this costs about half a float32
 * LAPACK SVD of the ViT-B/32 shapes (768 × 3072: a 3.6 GFLOP Gram product plus a 768² eigh, against
 * gesdd's QR plus bidiagonalisation), and the methods only need the leading triplets or a projector.
 *
 * <p>Squaring the matrix squares its condition number, so the Gram path is taken only where float64
 * keeps the result within float32 precision: triplets whose singular value is below
 * {@link #RELATIVE_FLOOR} × s_max are not formed from x·V / s; {@link #top} then falls back to the
 * full SVD (whose choice for those directions is arbitrary anyway, as the singular value is 0).
 */
public final class GramSvd implements AutoCloseable {
    /** Singular values below this fraction of the largest are numerically zero for float32 input. */
    static final double RELATIVE_FLOOR = 1e-6;

    private final NDArray x;
    private final NDManager scratch;
    private final boolean tall;
    private final int rank;
    /** Eigenvalues s², descending (float64). */
    private final double[] squares;
    /** Eigenvectors as columns in the same order: V [n, r] when tall, U [m, r] otherwise (float64). */
    private final NDArray vectors;
    private final NDArray x64;

    private GramSvd(NDArray x) {
        this(x, x.getShape().dimension() == 2 && x.getShape().get(0) >= x.getShape().get(1));
    }

    private GramSvd(NDArray x, boolean tall) {
        if (x.getShape().dimension() != 2) {
            throw new IllegalArgumentException("svd needs a 2-D array, got shape " + x.getShape());
        }
        this.x = x;
        this.scratch = x.getManager().newSubManager();
        long m = x.getShape().get(0);
        long n = x.getShape().get(1);
        this.tall = tall;
        this.rank = (int) Math.min(m, n);
        NDArray xd = x.toType(DataType.FLOAT64, true);
        xd.attach(scratch);
        this.x64 = xd;
        NDArray g = tall ? xd.transpose().matMul(xd) : xd.matMul(xd.transpose());
        g.attach(scratch);
        try (g; Svd.Eigh e = Svd.eigh(g)) {
            // ascending → descending
            NDArray v = e.vectors().flip(1);
            v.attach(scratch);
            this.vectors = v;
            double[] asc = e.values().toDoubleArray();
            this.squares = new double[rank];
            for (int i = 0; i < rank; i++) {
                squares[i] = Math.max(0.0, asc[rank - 1 - i]);
            }
        }
    }

    /** Eigendecomposes x's Gram matrix; x is kept (not copied) until {@link #close}. */
    public static GramSvd of(NDArray x) {
        return new GramSvd(x);
    }

    /**
     * Eigendecomposes x x&#x1D40; [m, m] for x [m, n] with m ≤ n (a square x included), so that all m left
     * singular vectors form an orthonormal basis of R^m: {@link #leftComplement} needs it.
     */
    public static GramSvd ofLeft(NDArray x) {
        if (x.getShape().dimension() != 2 || x.getShape().get(0) > x.getShape().get(1)) {
            throw new IllegalArgumentException("ofLeft needs x [m, n] with m ≤ n, got " + x.getShape());
        }
        return new GramSvd(x, false);
    }

    /**
     * Left singular vectors k … m − 1 (the orthonormal complement of the leading k) as float32 [m, m − k]
     * on x's manager; only after {@link #ofLeft}.
     */
    public NDArray leftComplement(int k) {
        if (tall) {
            throw new IllegalStateException("leftComplement needs GramSvd.ofLeft");
        }
        k = Math.max(0, Math.min(k, rank));
        NDArray c = vectors.get(new NDIndex(":, {}:", k)).toType(Svd.resultType(x), true);
        c.attach(x.getManager());
        return c;
    }

    /** Whether {@link #top}(k) comes from this Gram matrix (no numerically zero singular value among the leading k). */
    public boolean gramTop(int k) {
        k = Math.max(0, Math.min(k, rank));
        return !(k > 0 && Math.sqrt(squares[k - 1]) <= RELATIVE_FLOOR * Math.sqrt(squares[0]));
    }

    /** All r singular values, descending. */
    public float[] singularValues() {
        float[] s = new float[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = (float) Math.sqrt(squares[i]);
        }
        return s;
    }

    public int rank() {
        return rank;
    }

    /**
     * The leading k triplets as float32 (float64 for float64 input) on x's manager (k clamped to [0, r]). Falls back to the full
     * SVD when one of them has a numerically zero singular value.
     */
    public Svd.Thin top(int k) {
        k = Math.max(0, Math.min(k, rank));
        NDManager out = x.getManager();
        if (!gramTop(k)) {
            try (Svd.Thin full = Svd.thin(x)) {
                return new Svd.Thin(full.u().get(new NDIndex(":, :{}", k)), full.s().get(new NDIndex(":{}", k)),
                        full.vh().get(new NDIndex(":{}, :", k)));
            }
        }
        double[] s = new double[k];
        double[] inv = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(squares[i]);
            inv[i] = 1.0 / s[i];
        }
        try (NDManager tmp = scratch.newSubManager()) {
            NDArray w = vectors.get(new NDIndex(":, :{}", k));
            w.attach(tmp);
            NDArray sOut = tmp.create(s).toType(Svd.resultType(x), false);
            NDArray u;
            NDArray vh;
            if (tall) {
                NDArray invRow = tmp.create(inv).reshape(1, k);
                u = x64.matMul(w).muli(invRow).toType(Svd.resultType(x), false);
                vh = w.transpose().toType(Svd.resultType(x), false);
            } else {
                NDArray invCol = tmp.create(inv).reshape(k, 1);
                u = w.toType(Svd.resultType(x), false);
                vh = w.transpose().matMul(x64).muli(invCol).toType(Svd.resultType(x), false);
            }
            u.attach(out);
            sOut.attach(out);
            vh.attach(out);
            return new Svd.Thin(u, sOut, vh);
        }
    }

    /**
     * The best rank-k approximation of x, U_k·diag(S_k)·Vh_k, formed as the projection (x·V_k)·V_kᵀ
     * (or U_k·(U_kᵀ·x)), which needs no division by singular values; float32 on x's manager.
     */
    public NDArray truncated(int k) {
        k = Math.max(0, Math.min(k, rank));
        try (NDManager tmp = scratch.newSubManager()) {
            NDArray result;
            if (k == 0) {
                result = tmp.zeros(x.getShape(), Svd.resultType(x));
            } else {
                NDArray w = vectors.get(new NDIndex(":, :{}", k));
                w.attach(tmp);
                NDArray wt = w.transpose();
                result = (tall ? x64.matMul(w).matMul(wt) : w.matMul(wt.matMul(x64))).toType(Svd.resultType(x), false);
            }
            result.attach(x.getManager());
            return result;
        }
    }

    @Override
    public void close() {
        scratch.close();
    }
}
