package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import dev.amalgam.model.LayerStack;
import dev.amalgam.model.Ops;
import dev.amalgam.model.WeightLookup;

/** The pre-LN encoder stack shared by both CLIP towers ({@code CLIPEncoderLayer} × N). */
final class ClipEncoder {
    private ClipEncoder() {
    }

    /** x [B, T, H]; {@code mask} is additive [.., T, T] or null. */
    static NDArray forward(WeightLookup w, String prefix, ClipConfig.Tower t, NDArray x, NDArray mask) {
        double scale = 1.0 / Math.sqrt(t.hiddenSize() / (double) t.heads());
        return LayerStack.run(x, t.layers(), (i, in) -> layer(w, prefix + ".layers." + i + ".", t, in, mask, scale));
    }

    private static NDArray layer(WeightLookup w, String l, ClipConfig.Tower t, NDArray x, NDArray mask, double scale) {
        NDArray h = Ops.layerNorm(x, w.get(l + "layer_norm1.weight"), w.get(l + "layer_norm1.bias"), t.layerNormEps());
        NDArray q = Ops.splitHeads(linear(h, w, l + "self_attn.q_proj"), t.heads());
        NDArray k = Ops.splitHeads(linear(h, w, l + "self_attn.k_proj"), t.heads());
        NDArray v = Ops.splitHeads(linear(h, w, l + "self_attn.v_proj"), t.heads());
        x = x.add(linear(Ops.mergeHeads(Ops.attention(q, k, v, mask, scale)), w, l + "self_attn.out_proj"));
        h = Ops.layerNorm(x, w.get(l + "layer_norm2.weight"), w.get(l + "layer_norm2.bias"), t.layerNormEps());
        h = Ops.activation(t.hiddenAct(), linear(h, w, l + "mlp.fc1"));
        return x.add(linear(h, w, l + "mlp.fc2"));
    }

    private static NDArray linear(NDArray x, WeightLookup w, String prefix) {
        return Ops.linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias"));
    }
}
