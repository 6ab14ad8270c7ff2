package dev.amalgam.eval.image;

/** Resampling kernels with their support (half-width at scale 1), as defined by PIL. */
public enum ResampleFilter {
    /** Area average: 1 on (-0.5, 0.5]. */
    BOX(0.5) {
        @Override
        double weight(double x) {
            return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
        }
    },
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            x = Math.abs(x);
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    },
    /** Keys cubic convolution with a = -0.5 (PIL's and torchvision's BICUBIC). */
    BICUBIC(2.0) {
        @Override
        double weight(double x) {
            final double a = -0.5;
            x = Math.abs(x);
            if (x < 1.0) {
                return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
            }
            if (x < 2.0) {
                return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
            }
            return 0.0;
        }
    };

    final double support;

    ResampleFilter(double support) {
        this.support = support;
    }

    abstract double weight(double x);
}
