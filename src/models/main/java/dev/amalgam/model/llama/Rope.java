package dev.amalgam.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.Ops;

/**
 * Rotary position embeddings as in HF {@code LlamaRotaryEmbedding} (rotate-half convention).
 * Supported {@code rope_scaling} types: none/"default", "linear", "llama3". Others ("dynamic", "yarn",
 * "longrope", ...) change the frequencies with sequence length or rescale attention; they are rejected
 * with an error rather than silently computed wrong.
 */
public final class Rope {
    private Rope() {
    }

    /** inv_freq[i] = 1 / θ^(2i/d), then adjusted per {@code rope_scaling}. */
    public static float[] inverseFrequencies(HfConfig c, int headDim) {
        double theta = c.number("rope_theta", 10000.0);
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        if (c.has("rope_scaling")) {
            HfConfig rs = c.sub("rope_scaling");
            String type = rs.text("rope_type", rs.text("type", "default"));
            switch (type) {
                case "default":
                    break;
                case "linear":
                    double f = rs.number("factor", Double.NaN);
                    for (int i = 0; i < inv.length; i++) {
                        inv[i] /= f;
                    }
                    break;
                case "llama3":
                    llama3(inv, rs);
                    break;
                default:
                    throw new AmalgamException(c.where() + ": rope_scaling type '" + type
                            + "' is not supported (supported: default, linear, llama3)");
            }
        }
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }

    /** Llama 3.1: keep high frequencies, divide low ones by factor, interpolate the band between. */
    private static void llama3(double[] inv, HfConfig rs) {
        double factor = rs.number("factor", Double.NaN);
        double lo = rs.number("low_freq_factor", Double.NaN);
        double hi = rs.number("high_freq_factor", Double.NaN);
        double old = rs.number("original_max_position_embeddings", Double.NaN);
        if (Double.isNaN(factor + lo + hi + old)) {
            throw new AmalgamException(rs.where() + ": llama3 needs factor, low_freq_factor, high_freq_factor, "
                    + "original_max_position_embeddings");
        }
        double loWavelen = old / lo;
        double hiWavelen = old / hi;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > loWavelen) {
                inv[i] /= factor;
            } else if (wavelen >= hiWavelen) {
                double smooth = (old / wavelen - lo) / (hi - lo);
                inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
            }
        }
    }

    /** cos and sin tables [1, 1, T, D] for positions {@code offset..offset+T-1}. */
    public static NDList tables(NDManager m, float[] invFreq, long t, long offset) {
        NDArray pos = m.arange(offset, offset + t, 1, DataType.FLOAT32).reshape(t, 1);
        NDArray freqs = pos.mul(m.create(invFreq).reshape(1, invFreq.length));
        NDArray emb = Ops.concatLast(freqs, freqs).reshape(1, 1, t, 2L * invFreq.length);
        return new NDList(emb.cos(), emb.sin());
    }

    /** x·cos + rotate_half(x)·sin for x [B, H, T, D]. */
    public static NDArray apply(NDArray x, NDList cosSin) {
        long half = x.getShape().get(3) / 2;
        NDArray rotated = Ops.concatLast(x.get(new NDIndex("..., " + half + ":")).neg(),
                x.get(new NDIndex("..., :" + half)));
        return x.mul(cosSin.get(0)).add(rotated.mul(cosSin.get(1)));
    }
}
