package dev.amalgam.eval.datasets.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.train.clip.ZeroShot;

/**
 * Model inputs of the image suite: grayscale bytes are repeated to 3 channels, scaled to [0, 1] and
 * normalised with CLIP's per-channel mean and std (the same normalisation pretraining and fine-tuning
 * use). Images are already {@code image_size} square, so there is no resize or crop.
 */
public final class Pixels {
    private Pixels() {
    }

    /** NCHW floats of images [from, to) of {@code set}. */
    public static float[] nchw(GrayImages set, int from, int to) {
        int hw = set.side() * set.side();
        float[] out = new float[(to - from) * 3 * hw];
        for (int i = from; i < to; i++) {
            int base = (i - from) * 3 * hw;
            for (int c = 0; c < 3; c++) {
                float mean = ClipPreprocess.CLIP_MEAN[c];
                float std = ClipPreprocess.CLIP_STD[c];
                for (int p = 0; p < hw; p++) {
                    out[base + c * hw + p] = ((set.pixels()[i * hw + p] & 0xff) / 255f - mean) / std;
                }
            }
        }
        return out;
    }

    /** NCHW floats of images at {@code indices} of {@code set}. */
    public static float[] nchw(GrayImages set, int[] indices) {
        int hw = set.side() * set.side();
        float[] out = new float[indices.length * 3 * hw];
        for (int k = 0; k < indices.length; k++) {
            float[] one = nchw(set, indices[k], indices[k] + 1);
            System.arraycopy(one, 0, out, k * 3 * hw, one.length);
        }
        return out;
    }

    public static NDArray array(float[] nchw, int side, NDManager m) {
        return ZeroShot.pixels(nchw, side, m);
    }

    public static RgbImage toRgb(GrayImages set, int index) {
        int side = set.side();
        RgbImage im = RgbImage.blank(side, side);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int v = set.pixel(index, y, x);
                for (int c = 0; c < 3; c++) {
                    im.set(x, y, c, v);
                }
            }
        }
        return im;
    }

    /** Normalised CHW floats of an RGB image written at {@code offset} of {@code out}. */
    public static void normalise(RgbImage im, float[] out, int offset) {
        int hw = im.width() * im.height();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < im.height(); y++) {
                for (int x = 0; x < im.width(); x++) {
                    out[offset + c * hw + y * im.width() + x] =
                            (im.get(x, y, c) / 255f - ClipPreprocess.CLIP_MEAN[c]) / ClipPreprocess.CLIP_STD[c];
                }
            }
        }
    }
}
