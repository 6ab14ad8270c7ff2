package dev.amalgam.train.clip;

/**
 * Image–caption pairs for contrastive pretraining. Pairs with the same {@link #key} (e.g. the same
 * domain and class) count as positives of each other.
 */
public interface CaptionedImages {

    int count();

    /** Images are {@code side × side}, three channels. */
    int side();

    /** Normalised NCHW floats of the pairs at {@code indices}, in that order. */
    float[] nchw(int[] indices);

    String caption(int i);

    int key(int i);
}
