package dev.amalgam.merge.data;

import dev.amalgam.io.TensorSource;

/**
 * Plain-Java, double-precision reference for what the first encoder layer's q/k/v projections of a
 * HF CLIP vision tower read: patch embedding (stride-p convolution, weight [h, c, p, p]), class and
 * position embeddings, {@code pre_layrnorm}, then layer 0's {@code layer_norm1}; every token is a row.
 * Written from the HF CLIPVisionEmbeddings / CLIPEncoderLayer definitions, not from Amalgam's model.
 */
final class ClipLayerZeroInputs {
    private ClipLayerZeroInputs() {
    }

    static double[][] rows(TensorSource w, float[] pixels, int images, int side, int patch, int hidden, double eps) {
        float[] kernel = TinyClipTasks.values(w, "vision_model.embeddings.patch_embedding.weight");
        float[] cls = TinyClipTasks.values(w, "vision_model.embeddings.class_embedding");
        float[] pos = TinyClipTasks.values(w, "vision_model.embeddings.position_embedding.weight");
        float[] preW = TinyClipTasks.values(w, "vision_model.pre_layrnorm.weight");
        float[] preB = TinyClipTasks.values(w, "vision_model.pre_layrnorm.bias");
        float[] ln1W = TinyClipTasks.values(w, "vision_model.encoder.layers.0.layer_norm1.weight");
        float[] ln1B = TinyClipTasks.values(w, "vision_model.encoder.layers.0.layer_norm1.bias");
        int grid = side / patch;
        int tokens = 1 + grid * grid;
        double[][] out = new double[images * tokens][];
        for (int b = 0; b < images; b++) {
            for (int tok = 0; tok < tokens; tok++) {
                double[] x = new double[hidden];
                for (int h = 0; h < hidden; h++) {
                    double v;
                    if (tok == 0) {
                        v = cls[h];
                    } else {
                        int gy = (tok - 1) / grid;
                        int gx = (tok - 1) % grid;
                        v = 0;
                        for (int c = 0; c < 3; c++) {
                            for (int py = 0; py < patch; py++) {
                                for (int px = 0; px < patch; px++) {
                                    int pixel = ((b * 3 + c) * side + gy * patch + py) * side + gx * patch + px;
                                    int k = ((h * 3 + c) * patch + py) * patch + px;
                                    v += kernel[k] * (double) pixels[pixel];
                                }
                            }
                        }
                    }
                    x[h] = v + pos[tok * hidden + h];
                }
                out[b * tokens + tok] = layerNorm(layerNorm(x, preW, preB, eps), ln1W, ln1B, eps);
            }
        }
        return out;
    }

    static double[] layerNorm(double[] x, float[] w, float[] b, double eps) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(var + eps) * w[i] + b[i];
        }
        return y;
    }
}
