package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs a stack of transformer layers. Outside gradient recording each layer's intermediates live in
 * a manager of their own that closes when the layer is done, so activation memory is one layer's
 * worth instead of the whole stack's (as PyTorch frees them under {@code no_grad}). While gradients
 * are recorded everything stays in the input's manager, as the backward pass needs it.
 */
public final class LayerStack {
    private LayerStack() {
    }

    /** One layer: its index and input [B, T, H] → its output, allocated through the input's manager. */
    public interface Layer {
        NDArray apply(int index, NDArray x);
    }

    public static NDArray run(NDArray x, int layers, Layer layer) {
        if (JniUtils.isGradMode()) {
            for (int i = 0; i < layers; i++) {
                x = layer.apply(i, x);
            }
            return x;
        }
        NDManager outer = x.getManager();
        for (int i = 0; i < layers; i++) {
            NDArray in = x;
            try (NDManager step = outer.newSubManager()) {
                in.tempAttach(step);
                x = layer.apply(i, in);
                x.attach(outer);
            }
            if (i > 0) {
                in.close(); // the previous layer's output; the first layer's input belongs to the caller
            }
        }
        return x;
    }
}
