package dev.amalgam.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Sentence embeddings from {@code last_hidden_state [B, T, H]}. */
public final class BertPooling {
    private BertPooling() {
    }

    /** Mean over the tokens whose attention mask is 1 (sentence-transformers' mean pooling). */
    public static NDArray mean(NDArray hidden, NDArray attentionMask) {
        NDArray m = attentionMask.toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray sum = hidden.mul(m).sum(new int[] {1});
        NDArray count = m.sum(new int[] {1}).clip(1e-9f, Float.MAX_VALUE);
        return sum.div(count);
    }

    /** The hidden state of the first ([CLS]) token. */
    public static NDArray cls(NDArray hidden) {
        return hidden.get(":, 0, :");
    }

    /** Rows scaled to unit L2 norm. */
    public static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true).clip(1e-12f, Float.MAX_VALUE));
    }
}
