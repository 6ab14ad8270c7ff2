package dev.amalgam.train.clip;

/** A labelled image set as the CLIP fine-tuners read it: model-ready pixels of any examples, by index. */
public interface LabeledImages {

    int count();

    /** Images are {@code side × side}, three channels. */
    int side();

    /** The class index of example {@code i}. */
    int label(int i);

    /** Normalised NCHW floats of the examples at {@code indices}, in that order. */
    float[] nchw(int[] indices);
}
