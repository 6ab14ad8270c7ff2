package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A fixed classification head's rows [classes][dim] as one array, each entry times a scale. */
final class HeadMatrix {
    private HeadMatrix() {
    }

    static NDArray of(float[][] rows, float scale, NDManager m) {
        int dim = rows[0].length;
        float[] flat = new float[rows.length * dim];
        for (int c = 0; c < rows.length; c++) {
            for (int d = 0; d < dim; d++) {
                flat[c * dim + d] = rows[c][d] * scale;
            }
        }
        return m.create(flat, new Shape(rows.length, dim));
    }
}
