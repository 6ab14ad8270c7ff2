package dev.amalgam.eval.datasets.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Draws a vector outline white-on-black into a small grayscale raster with seeded jitter: the outline
 * is centred, scaled so its larger side spans a random size, rotated by a random angle and shifted by
 * a random offset. Java2D's antialiased rasteriser is deterministic for a given JDK.
 */
public final class ShapeRaster {
    /** Jitter ranges: size of the larger side in pixels, rotation in degrees (±), shift in pixels (±). */
    public record Jitter(double minSize, double maxSize, double maxDegrees, double maxShift) {
    }

    private ShapeRaster() {
    }

    /** Renders {@code outline} into {@code out} at offset {@code side²·index}; strokeWidth 0 fills. */
    static void draw(Shape outline, int side, Jitter j, double strokeWidth, Random rng, byte[] out, int index) {
        double size = j.minSize() + rng.nextDouble() * (j.maxSize() - j.minSize());
        double angle = Math.toRadians((2 * rng.nextDouble() - 1) * j.maxDegrees());
        double dx = (2 * rng.nextDouble() - 1) * j.maxShift();
        double dy = (2 * rng.nextDouble() - 1) * j.maxShift();
        Rectangle2D b = outline.getBounds2D();
        double scale = size / Math.max(b.getWidth(), b.getHeight());
        AffineTransform t = new AffineTransform();
        t.translate(side / 2.0 + dx, side / 2.0 + dy);
        t.rotate(angle);
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            Shape placed = t.createTransformedShape(outline);
            if (strokeWidth > 0) {
                g.setStroke(new BasicStroke((float) strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(placed);
            } else {
                g.fill(placed);
            }
        } finally {
            g.dispose();
        }
        byte[] px = (byte[]) img.getRaster().getDataElements(0, 0, side, side, null);
        System.arraycopy(px, 0, out, index * side * side, px.length);
    }
}
