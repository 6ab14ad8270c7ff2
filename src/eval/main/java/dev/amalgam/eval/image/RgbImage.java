package dev.amalgam.eval.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An 8-bit RGB image, pixels row-major, channels interleaved (HWC), as PIL's "RGB" mode holds it.
 * Gray images become R = G = B (PIL {@code convert("RGB")}); alpha is dropped, not composited.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("bad RGB image " + width + "x" + height + " with " + rgb.length + " bytes");
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[3 * width * height]);
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xff;
    }

    public void set(int x, int y, int c, int value) {
        rgb[3 * (y * width + x) + c] = (byte) value;
    }

    /**
     * Reads the stored sample values. Gray rasters are read as samples, not through getRGB, because
     * Java treats TYPE_BYTE_GRAY as linear gray and would gamma-convert it.
     */
    public static RgbImage of(BufferedImage im) {
        int w = im.getWidth();
        int h = im.getHeight();
        byte[] out = new byte[3 * w * h];
        Raster r = im.getRaster();
        int bands = r.getNumBands();
        boolean gray = !(im.getColorModel() instanceof IndexColorModel) && bands <= 2;
        if (gray) {
            int bits = im.getColorModel().getComponentSize(0);
            int shift = Math.max(0, bits - 8);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = r.getSample(x, y, 0) >> shift;
                    int o = 3 * (y * w + x);
                    out[o] = out[o + 1] = out[o + 2] = (byte) v;
                }
            }
        } else {
            int[] argb = im.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                out[3 * i] = (byte) (argb[i] >> 16);
                out[3 * i + 1] = (byte) (argb[i] >> 8);
                out[3 * i + 2] = (byte) argb[i];
            }
        }
        return new RgbImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff);
        }
        im.setRGB(0, 0, width, height, argb, 0, width);
        return im;
    }

    public RgbImage copy() {
        return new RgbImage(width, height, rgb.clone());
    }
}
