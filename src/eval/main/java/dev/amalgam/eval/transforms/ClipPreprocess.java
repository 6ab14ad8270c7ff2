package dev.amalgam.eval.transforms;

import java.awt.image.BufferedImage;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.image.FloatImage;
import dev.amalgam.eval.image.Resample;
import dev.amalgam.eval.image.ResampleFilter;

/**
 * CLIP image preprocessing as in the CLIP / task-vectors / FusionBench evaluations: resize the
 * shorter side to {@code size} with bicubic resampling (PIL-exact, see {@link Resample}), center
 * crop {@code size x size}, RGB, scale to [0, 1], normalise per channel with CLIP's mean and std.
 * Size is configurable for small demo models.
 *
 * <p>Two documented choices: the longer side becomes {@code (int) (size * long / short)} and the
 * crop offset is {@code round((in - size) / 2)} with round-half-even, both as torchvision
 * (OpenCLIP) does; Hugging Face's CLIPImageProcessor floors the crop offset, so on odd margins
 * the two differ by one pixel. Images are converted to RGB before resizing (identical for gray and
 * RGB inputs; differs from PIL for RGBA, which PIL resizes premultiplied).
 */
public final class ClipPreprocess {
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int size;
    private final float[] mean;
    private final float[] std;

    public ClipPreprocess(int size) {
        this(size, CLIP_MEAN, CLIP_STD);
    }

    public ClipPreprocess(int size, float[] mean, float[] std) {
        if (size <= 0 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("size > 0 and 3-channel mean/std required");
        }
        this.size = size;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public int size() {
        return size;
    }

    public FloatImage apply(BufferedImage image) {
        return apply(RgbImage.of(image));
    }

    public FloatImage apply(RgbImage image) {
        return normalize(centerCrop(resizeShortSide(image, size), size, size));
    }

    /** Scales so the shorter side equals {@code target}, keeping the aspect ratio (torchvision rule). */
    public static RgbImage resizeShortSide(RgbImage im, int target) {
        int w = im.width();
        int h = im.height();
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        if (shortSide == target) {
            return im;
        }
        int newLong = (int) ((long) target * longSide / shortSide);
        return w <= h ? Resample.resize(im, target, newLong, ResampleFilter.BICUBIC)
                : Resample.resize(im, newLong, target, ResampleFilter.BICUBIC);
    }

    /** Center crop; pads with black where the image is smaller than the crop (as torchvision). */
    public static RgbImage centerCrop(RgbImage im, int cw, int ch) {
        int left = (int) Math.rint((im.width() - cw) / 2.0);
        int top = (int) Math.rint((im.height() - ch) / 2.0);
        RgbImage out = RgbImage.blank(cw, ch);
        for (int y = 0; y < ch; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= im.height()) {
                continue;
            }
            for (int x = 0; x < cw; x++) {
                int sx = x + left;
                if (sx < 0 || sx >= im.width()) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    out.set(x, y, c, im.get(sx, sy, c));
                }
            }
        }
        return out;
    }

    public FloatImage normalize(RgbImage im) {
        int n = im.width() * im.height();
        byte[] src = im.rgb();
        float[] out = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = mean[c] / std[c];
            int plane = c * n;
            for (int p = 0; p < n; p++) {
                out[plane + p] = (src[3 * p + c] & 0xff) * scale - shift;
            }
        }
        return new FloatImage(3, im.height(), im.width(), out);
    }
}
