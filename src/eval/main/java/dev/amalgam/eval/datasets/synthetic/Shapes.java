package dev.amalgam.eval.datasets.synthetic;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Random;

/**
 * The {@code shapes} task: ten geometric figures drawn with Java2D, filled (ID) or as outlines only
 * (OOD: the same figures, a texture/rendering shift with unchanged geometry), with the glyphs' jitter.
 */
public final class Shapes {
    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "pentagon", "hexagon", "star",
            "cross", "diamond", "arrow", "crescent");
    private static final ShapeRaster.Jitter JITTER = new ShapeRaster.Jitter(14, 22, 15, 3);

    private Shapes() {
    }

    public static Shape outline(int label) {
        return switch (CLASSES.get(label)) {
            case "circle" -> new Ellipse2D.Double(-1, -1, 2, 2);
            case "square" -> new Rectangle2D.Double(-1, -1, 2, 2);
            case "triangle" -> polygon(3, 1, 0);
            case "pentagon" -> polygon(5, 1, 0);
            case "hexagon" -> polygon(6, 1, 0);
            case "star" -> polygon(5, 1, 0.42);
            case "cross" -> cross();
            case "diamond" -> diamond();
            case "arrow" -> arrow();
            case "crescent" -> crescent();
            default -> throw new IllegalArgumentException("unknown shape " + label);
        };
    }

    /** Draws shape {@code label} into image {@code index} of {@code out}; outlined draws a 1.6–2.4 px stroke. */
    public static void render(int label, boolean outlined, int side, Random rng, byte[] out, int index) {
        double stroke = outlined ? 1.6 + 0.8 * rng.nextDouble() : 0;
        ShapeRaster.draw(outline(label), side, JITTER, stroke, rng, out, index);
    }

    /** A regular polygon (innerRatio 0) or star (alternate vertices at innerRatio), pointing up. */
    private static Shape polygon(int corners, double r, double innerRatio) {
        Path2D.Double p = new Path2D.Double();
        int n = innerRatio > 0 ? 2 * corners : corners;
        for (int i = 0; i < n; i++) {
            double rad = innerRatio > 0 && i % 2 == 1 ? r * innerRatio : r;
            double a = -Math.PI / 2 + 2 * Math.PI * i / n;
            if (i == 0) {
                p.moveTo(rad * Math.cos(a), rad * Math.sin(a));
            } else {
                p.lineTo(rad * Math.cos(a), rad * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static Shape cross() {
        Area a = new Area(new Rectangle2D.Double(-1, -0.3, 2, 0.6));
        a.add(new Area(new Rectangle2D.Double(-0.3, -1, 0.6, 2)));
        return a;
    }

    private static Shape diamond() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, -1);
        p.lineTo(0.6, 0);
        p.lineTo(0, 1);
        p.lineTo(-0.6, 0);
        p.closePath();
        return p;
    }

    private static Shape arrow() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(-1, -0.2);
        p.lineTo(0.2, -0.2);
        p.lineTo(0.2, -0.6);
        p.lineTo(1, 0);
        p.lineTo(0.2, 0.6);
        p.lineTo(0.2, 0.2);
        p.lineTo(-1, 0.2);
        p.closePath();
        return p;
    }

    private static Shape crescent() {
        Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
        a.subtract(new Area(new Ellipse2D.Double(-0.45, -1.05, 2, 2)));
        return a;
    }
}
