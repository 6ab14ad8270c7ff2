package dev.amalgam.merge;

/** How tensors are grouped into the "layers" that LwPTV scores and prunes. */
public enum Granularity {
    /** Every tensor is its own layer. */
    TENSOR,
    /** Tensors of one transformer block (and embeddings, final norms, heads) form one layer. */
    BLOCK
}
