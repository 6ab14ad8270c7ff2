package dev.amalgam.eval.datasets.synthetic;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.util.Random;

/**
 * Renders characters from a font file into 28×28 grayscale images with seeded jitter (glyph size
 * 15–22 px, rotation ±12°, shift ±3 px). Same font, text and generator state ⇒ same pixels.
 */
public final class GlyphRenderer {
    public static final ShapeRaster.Jitter JITTER = new ShapeRaster.Jitter(15, 22, 12, 3);
    private static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);

    private GlyphRenderer() {
    }

    /** The glyph outline of {@code text} at 100 pt (scaled later). */
    public static Shape outline(Font font, String text) {
        return font.deriveFont(100f).createGlyphVector(FRC, text).getOutline();
    }

    /** Renders {@code text} into image {@code index} of {@code out} (side² bytes per image). */
    public static void render(Font font, String text, int side, Random rng, byte[] out, int index) {
        ShapeRaster.draw(outline(font, text), side, JITTER, 0, rng, out, index);
    }

    /** One image as a fresh array. */
    public static byte[] render(Font font, String text, int side, Random rng) {
        byte[] out = new byte[side * side];
        render(font, text, side, rng, out, 0);
        return out;
    }
}
