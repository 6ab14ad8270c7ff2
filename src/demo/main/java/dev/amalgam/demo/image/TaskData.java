package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.DigitsReader;
import dev.amalgam.eval.datasets.IdxDataset;
import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.eval.datasets.ListDataset;
import dev.amalgam.eval.datasets.synthetic.FontCatalog;
import dev.amalgam.eval.datasets.synthetic.GlyphRenderer;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.Shapes;
import dev.amalgam.train.clip.IndexBatches;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Builds every split of every task, deterministically from a seed. Each (task, split) draws from its
 * own generator, seeded from (seed, task, split), so splits are reproducible independently.
 *
 * <ul>
 *   <li>fashion ({@link FashionManifest}): train/val from Fashion-MNIST's training file (disjoint index ranges of one seeded
 *       permutation), test from its t10k file; OOD "reframed": other t10k images shrunk to 55–80 %,
 *       rotated ±20° and shifted ±4 px (Fashion-MNIST is tightly centred and size-normalised).</li>
 *   <li>font_digits / font_letters: glyphs in the {@link FontCatalog#TRAIN} fonts; OOD: sklearn's
 *       handwritten 8×8 digits upsampled into a 20×20 box (MNIST's layout) / letters A–J in the
 *       {@link FontCatalog#HELD_OUT} fonts.</li>
 *   <li>shapes: filled figures; OOD: the same figures as outlines.</li>
 * </ul>
 */
public final class TaskData {
    public static final int SIDE = 28;
    /** Fashion-MNIST training-file positions [0, 10000) serve the task; pretraining uses later ones. */
    static final int FASHION_TASK_RANGE = 10_000;

    /** Split sizes. */
    public record Sizes(int train, int val, int test, int ood) {
        public static Sizes standard() {
            return new Sizes(2000, 300, 500, 500);
        }
    }

    private final long seed;
    private final Sizes sizes;
    private IdxDataset fashionTrain;
    private IdxDataset fashionTest;
    private int[] fashionTrainOrder;

    public TaskData(long seed, Sizes sizes) {
        this.seed = seed;
        this.sizes = sizes;
    }

    public static List<String> splitNames(ImageTask task) {
        return List.of("train", "val", "test", task.naturalOod());
    }

    public Random rng(String task, String split) {
        return new Random(seed * 0x9E3779B97F4A7C15L + (task + "/" + split).hashCode());
    }

    public GrayImages build(ImageTask task, String split) {
        int n = switch (split) {
            case "train" -> sizes.train();
            case "val" -> sizes.val();
            case "test" -> sizes.test();
            default -> sizes.ood();
        };
        if (!splitNames(task).contains(split)) {
            throw new dev.amalgam.AmalgamException("task " + task.id() + " has no split '" + split + "' (splits: "
                    + splitNames(task) + ")");
        }
        Random rng = rng(task.id(), split);
        boolean ood = split.equals(task.naturalOod());
        return switch (task) {
            case FASHION -> fashion(split, n, rng);
            case FONT_DIGITS -> ood ? handwritten(n, rng) : glyphs(task.classNames(), FontCatalog.TRAIN, n, rng);
            case FONT_LETTERS -> glyphs(task.classNames(), ood ? FontCatalog.HELD_OUT : FontCatalog.TRAIN, n, rng);
            case SHAPES -> shapes(ood, n, rng);
        };
    }

    /** Glyph images: label i % classes, font drawn uniformly. */
    public static GrayImages glyphs(List<String> texts, List<FontCatalog.FontSpec> fonts, int n, Random rng) {
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % texts.size();
            FontCatalog.FontSpec f = fonts.get(rng.nextInt(fonts.size()));
            GlyphRenderer.render(FontCatalog.load(f), texts.get(labels[i]), SIDE, rng, px, i);
        }
        return new GrayImages(n, SIDE, px, labels);
    }

    public static GrayImages shapes(boolean outlined, int n, Random rng) {
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % Shapes.CLASSES.size();
            Shapes.render(labels[i], outlined, SIDE, rng, px, i);
        }
        return new GrayImages(n, SIDE, px, labels);
    }

    private GrayImages fashion(String split, int n, Random rng) {
        loadFashion();
        return switch (split) {
            case "train" -> pick(fashionTrain, fashionTrainOrder, 0, n, null);
            case "val" -> pick(fashionTrain, fashionTrainOrder, sizes.train(), n, null);
            case "test" -> pick(fashionTest, permutation(fashionTest.size(), new Random(seed ^ 0x7E57L)), 0, n, null);
            default -> pick(fashionTest, permutation(fashionTest.size(), new Random(seed ^ 0x7E57L)),
                    sizes.test(), n, rng);
        };
    }

    /** Fashion-MNIST training images at permuted positions [from, from + n) (pretraining's source too). */
    GrayImages fashionTrainRange(int from, int n) {
        loadFashion();
        return pick(fashionTrain, fashionTrainOrder, from, n, null);
    }

    private void loadFashion() {
        if (fashionTrain == null) {
            IdxDataset[] both = fashionFiles();
            fashionTrain = both[0];
            fashionTest = both[1];
            fashionTrainOrder = permutation(fashionTrain.size(), new Random(seed ^ 0x7A1AL));
        }
    }

    private static IdxDataset[] fashionCache;

    /** The two Fashion-MNIST splits of {@link FashionManifest}, read once per JVM (they are immutable). */
    private static synchronized IdxDataset[] fashionFiles() {
        if (fashionCache == null) {
            fashionCache = new IdxDataset[] {FashionManifest.split("train"), FashionManifest.split("test")};
        }
        return fashionCache;
    }

    /** Copies images order[from..from+n) of {@code d}; with {@code reframe} non-null, reframes each. */
    private static GrayImages pick(IdxDataset d, int[] order, int from, int n, Random reframe) {
        if (from + n > order.length) {
            throw new dev.amalgam.AmalgamException(d.name() + ": needs " + (from + n) + " images, has " + order.length);
        }
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int src = order[from + i];
            labels[i] = d.label(src);
            BufferedImage im = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    im.getRaster().setSample(x, y, 0, d.pixel(src, y, x));
                }
            }
            if (reframe != null) {
                im = reframe(im, reframe);
            }
            byte[] b = (byte[]) im.getRaster().getDataElements(0, 0, SIDE, SIDE, null);
            System.arraycopy(b, 0, px, i * SIDE * SIDE, b.length);
        }
        return new GrayImages(n, SIDE, px, labels);
    }

    private static BufferedImage reframe(BufferedImage src, Random rng) {
        double scale = 0.55 + 0.25 * rng.nextDouble();
        double angle = Math.toRadians((2 * rng.nextDouble() - 1) * 20);
        double dx = (2 * rng.nextDouble() - 1) * 4;
        double dy = (2 * rng.nextDouble() - 1) * 4;
        AffineTransform t = new AffineTransform();
        t.translate(SIDE / 2.0 + dx, SIDE / 2.0 + dy);
        t.rotate(angle);
        t.scale(scale, scale);
        t.translate(-SIDE / 2.0, -SIDE / 2.0);
        return draw(src, t);
    }

    private static BufferedImage draw(BufferedImage src, AffineTransform t) {
        BufferedImage out = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** sklearn's handwritten digits (8×8, 0..16 scaled to 0..255) upsampled bilinearly into the central 20×20. */
    private static GrayImages handwritten(int n, Random rng) {
        ListDataset<ImageExample> digits = DigitsReader.read(DigitsReader.DEBIAN_PATH, "sklearn digits");
        int[] order = permutation(digits.size(), rng);
        if (n > order.length) {
            throw new dev.amalgam.AmalgamException(DigitsReader.DEBIAN_PATH + ": needs " + n + " digits, has " + order.length);
        }
        byte[] px = new byte[n * SIDE * SIDE];
        int[] labels = new int[n];
        AffineTransform t = new AffineTransform();
        t.translate(4, 4);
        t.scale(20 / 8.0, 20 / 8.0);
        for (int i = 0; i < n; i++) {
            ImageExample e = digits.get(order[i]);
            labels[i] = e.label();
            byte[] b = (byte[]) draw(e.image(), t).getRaster().getDataElements(0, 0, SIDE, SIDE, null);
            System.arraycopy(b, 0, px, i * SIDE * SIDE, b.length);
        }
        return new GrayImages(n, SIDE, px, labels);
    }

    static int[] permutation(int n, Random rng) {
        return IndexBatches.permutation(n, rng);
    }
}
