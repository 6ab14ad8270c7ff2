package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.synthetic.FontCatalog;
import dev.amalgam.eval.datasets.synthetic.GlyphRenderer;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.Shapes;
import dev.amalgam.testutil.PackagedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlyphRenderingTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
        for (FontCatalog.FontSpec f : FontCatalog.TRAIN) {
            PackagedData.present(f.path(), "Debian fonts");
        }
        for (FontCatalog.FontSpec f : FontCatalog.HELD_OUT) {
            PackagedData.present(f.path(), "Debian fonts");
        }
    }

    private static Font font(int i) {
        return FontCatalog.load(FontCatalog.TRAIN.get(i));
    }

    @Test
    void sameSeedSamePixels() {
        byte[] a = GlyphRenderer.render(font(0), "7", 28, new Random(5));
        byte[] b = GlyphRenderer.render(font(0), "7", 28, new Random(5));
        assertArrayEquals(a, b);
        byte[] c = GlyphRenderer.render(font(0), "7", 28, new Random(6));
        assertFalse(Arrays.equals(a, c), "a different seed jitters differently");
    }

    @Test
    void fontsDiffer() {
        byte[] ref = GlyphRenderer.render(font(0), "G", 28, new Random(1));
        for (int i = 1; i < FontCatalog.TRAIN.size(); i++) {
            assertFalse(Arrays.equals(ref, GlyphRenderer.render(font(i), "G", 28, new Random(1))),
                    FontCatalog.TRAIN.get(i).file() + " renders like " + FontCatalog.TRAIN.get(0).file());
        }
        for (FontCatalog.FontSpec held : FontCatalog.HELD_OUT) {
            assertFalse(Arrays.equals(ref, GlyphRenderer.render(FontCatalog.load(held), "G", 28, new Random(1))));
        }
    }

    /** The lit region's larger side lies in the jitter's size range (± 2 px for antialiasing and rotation). */
    @Test
    void glyphFitsTheJitterBox() {
        Random rng = new Random(3);
        for (int k = 0; k < 40; k++) {
            byte[] px = GlyphRenderer.render(font(k % FontCatalog.TRAIN.size()), String.valueOf((char) ('A' + k % 26)), 28, rng);
            int minX = 28;
            int maxX = -1;
            int minY = 28;
            int maxY = -1;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    if ((px[y * 28 + x] & 0xff) > 64) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            int side = Math.max(maxX - minX + 1, maxY - minY + 1);
            assertTrue(side >= GlyphRenderer.JITTER.minSize() - 2 && side <= GlyphRenderer.JITTER.maxSize() + 6,
                    "glyph " + k + " spans " + side + " px");
            assertTrue(minX >= 0 && maxX <= 27 && minY >= 0 && maxY <= 27);
        }
    }

    @Test
    void outlinedShapesHaveFewerLitPixelsThanFilled() {
        for (int label = 0; label < Shapes.CLASSES.size(); label++) {
            byte[] filled = new byte[28 * 28];
            byte[] outlined = new byte[28 * 28];
            Shapes.render(label, false, 28, new Random(9), filled, 0);
            Shapes.render(label, true, 28, new Random(9), outlined, 0);
            int f = lit(filled);
            int o = lit(outlined);
            assertTrue(f > 40, Shapes.CLASSES.get(label) + " filled lights " + f + " pixels");
            assertTrue(o > 15, Shapes.CLASSES.get(label) + ": outline lights " + o + " pixels");
            assertFalse(Arrays.equals(filled, outlined));
            if (List.of("circle", "square", "pentagon", "hexagon").contains(Shapes.CLASSES.get(label))) {
                // Fat convex figures: a 1.6–2.4 px ring covers less than the disc it bounds.
                assertTrue(o < f, Shapes.CLASSES.get(label) + ": outline " + o + " vs filled " + f);
            }
        }
    }

    @Test
    void grayImagesRoundTripAndRejectBadHeaders(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        GrayImages g = TaskData.glyphs(ImageTask.FONT_DIGITS.classNames(), FontCatalog.TRAIN, 12, new Random(2));
        java.nio.file.Path f = dir.resolve("x.agi");
        g.write(f);
        GrayImages back = GrayImages.read(f);
        assertArrayEquals(g.pixels(), back.pixels());
        assertArrayEquals(g.labels(), back.labels());
        assertEquals(12, back.count());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 1));
        org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class, () -> GrayImages.read(f));
    }

    private static int lit(byte[] px) {
        int n = 0;
        for (byte b : px) {
            if ((b & 0xff) > 128) {
                n++;
            }
        }
        return n;
    }
}
