package dev.amalgam.eval.datasets.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;

/**
 * A split ready for {@code ClipModel.imageFeatures}: CLIP-normalised NCHW floats (3 × side × side per
 * image) and labels.
 */
public record ImageSet(String name, int side, float[] nchw, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** Images [from, to) as an NDArray [to-from, 3, side, side] in {@code m}. */
    public NDArray pixels(int from, int to, NDManager m) {
        int per = 3 * side * side;
        return Pixels.array(Arrays.copyOfRange(nchw, from * per, to * per), side, m);
    }

    public int[] labels(int from, int to) {
        return Arrays.copyOfRange(labels, from, to);
    }
}
