package dev.amalgam.eval.transforms.corruption;

/**
 * Separable Gaussian smoothing of a single-channel double image, radius round(4 sigma) and edge
 * replication, as scipy's gaussian_filter(mode="nearest") that skimage.filters.gaussian calls.
 */
final class GaussianFilter {
    private GaussianFilter() {
    }

    static double[] blur(double[] img, int width, int height, double sigma) {
        int r = (int) (4.0 * sigma + 0.5);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        double[] tmp = new double[img.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.min(width - 1, Math.max(0, x + i));
                    acc += k[i + r] * img[y * width + xx];
                }
                tmp[y * width + x] = acc;
            }
        }
        double[] out = new double[img.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = Math.min(height - 1, Math.max(0, y + i));
                    acc += k[i + r] * tmp[yy * width + x];
                }
                out[y * width + x] = acc;
            }
        }
        return out;
    }
}
