package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.synthetic.FontCatalog;
import dev.amalgam.eval.datasets.synthetic.GlyphRenderer;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.Pixels;
import dev.amalgam.eval.datasets.synthetic.Shapes;
import dev.amalgam.train.clip.CaptionedImages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The contrastive pretraining corpus: image–caption pairs from a broader mix than the tasks, disjoint
 * from every task split. Fashion-MNIST training images from positions after the task range; digits
 * 0–9 and all letters A–Z rendered in the training fonts with their own generators (captions name
 * the font half of the time); filled shapes. Captions fill one of the domain's templates at random.
 * {@code keys} identify the (domain, class) of each pair: pairs with equal keys are positives of each
 * other in the contrastive loss.
 */
public record PretrainMix(GrayImages images, List<String> captions, int[] keys) implements CaptionedImages {

    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int side() {
        return images.side();
    }

    @Override
    public float[] nchw(int[] indices) {
        return Pixels.nchw(images, indices);
    }

    @Override
    public String caption(int i) {
        return captions.get(i);
    }

    @Override
    public int key(int i) {
        return keys[i];
    }


    /** Examples per domain. */
    public record Sizes(int fashion, int digits, int letters, int shapes) {
        public static Sizes standard() {
            return new Sizes(3000, 2000, 3000, 2000);
        }

        int total() {
            return fashion + digits + letters + shapes;
        }
    }

    /**
     * Captions that name the domain but not the class (words the tokenizer already has), used by
     * {@link #build(TaskData, long, Sizes, double)} for loosely captioned pairs.
     */
    static final Map<ImageTask, List<String>> UNNAMED = Map.of(
            ImageTask.FASHION, List.of("a photo", "a black and white photo", "a centered photo"),
            ImageTask.FONT_DIGITS, List.of("the digit", "a rendered digit", "an image of the digit"),
            ImageTask.FONT_LETTERS, List.of("the letter", "a rendered letter", "an image of the letter"),
            ImageTask.SHAPES, List.of("a drawing", "a shape", "an image of a shape"));
    /** Key offset of a domain's unnamed captions: they are positives of each other, not of any class. */
    static final int UNNAMED_KEY = 99;

    public static PretrainMix build(TaskData data, long seed, Sizes sizes) {
        return build(data, seed, sizes, 1.0);
    }

    /**
     * As {@link #build(TaskData, long, Sizes)}, but each caption names the image's class only with
     * probability {@code classCaptionRate}; otherwise it is one of the domain's {@link #UNNAMED}
     * captions. At rate 1 no extra random draws are made, so the mix is the standard one exactly.
     */
    public static PretrainMix build(TaskData data, long seed, Sizes sizes, double classCaptionRate) {
        int side = TaskData.SIDE;
        int n = sizes.total();
        byte[] px = new byte[n * side * side];
        int[] labels = new int[n];
        int[] keys = new int[n];
        List<String> captions = new ArrayList<>(n);
        Random rng = new Random(seed * 31 + 0x9E37L);
        int at = 0;

        GrayImages fashion = data.fashionTrainRange(TaskData.FASHION_TASK_RANGE, sizes.fashion());
        at = append(fashion, px, labels, at);
        for (int i = 0; i < fashion.count(); i++) {
            Caption c = caption(ImageTask.FASHION, ImageTask.FASHION.classNames().get(fashion.labels()[i]), null, rng,
                    classCaptionRate);
            keys[i] = c.named() ? fashion.labels()[i] : UNNAMED_KEY;
            captions.add(c.text());
        }
        at = glyphDomain(ImageTask.FONT_DIGITS, ImageTask.FONT_DIGITS.classNames(), 100, sizes.digits(), rng, px, labels,
                keys, captions, at, classCaptionRate);
        at = glyphDomain(ImageTask.FONT_LETTERS, ImageTask.ALL_LETTERS, 200, sizes.letters(), rng, px, labels, keys,
                captions, at, classCaptionRate);
        GrayImages shapes = TaskData.shapes(false, sizes.shapes(), new Random(rng.nextLong()));
        int start = at;
        at = append(shapes, px, labels, at);
        for (int i = start; i < at; i++) {
            Caption c = caption(ImageTask.SHAPES, Shapes.CLASSES.get(labels[i]), null, rng, classCaptionRate);
            keys[i] = 300 + (c.named() ? labels[i] : UNNAMED_KEY);
            captions.add(c.text());
        }
        return new PretrainMix(new GrayImages(n, side, px, labels), List.copyOf(captions), keys);
    }

    private static int glyphDomain(ImageTask task, List<String> classes, int keyBase, int count, Random rng, byte[] px,
                                   int[] labels, int[] keys, List<String> captions, int at, double classCaptionRate) {
        List<FontCatalog.FontSpec> fonts = FontCatalog.TRAIN;
        int side = TaskData.SIDE;
        for (int i = 0; i < count; i++) {
            int c = i % classes.size();
            FontCatalog.FontSpec f = fonts.get(rng.nextInt(fonts.size()));
            GlyphRenderer.render(FontCatalog.load(f), classes.get(c), side, rng, px, at);
            labels[at] = c;
            Caption cap = caption(task, classes.get(c), rng.nextBoolean() ? f.caption() : null, rng, classCaptionRate);
            keys[at] = keyBase + (cap.named() ? c : UNNAMED_KEY);
            captions.add(cap.text());
            at++;
        }
        return at;
    }

    private record Caption(String text, boolean named) {
    }

    private static Caption caption(ImageTask task, String className, String font, Random rng, double classCaptionRate) {
        boolean named = classCaptionRate >= 1 || rng.nextDouble() < classCaptionRate;
        List<String> templates = named ? task.templates() : UNNAMED.get(task);
        String t = templates.get(rng.nextInt(templates.size()));
        String c = named ? t.replace("{}", className) : t;
        return new Caption(font == null ? c : c + " in " + font, named);
    }

    private static int append(GrayImages src, byte[] px, int[] labels, int at) {
        System.arraycopy(src.pixels(), 0, px, at * src.side() * src.side(), src.pixels().length);
        System.arraycopy(src.labels(), 0, labels, at, src.count());
        return at + src.count();
    }

    /** Every text the tokenizer must know: all captions plus every task's filled templates. */
    public static List<String> vocabularyTexts() {
        List<String> texts = new ArrayList<>();
        for (ImageTask t : ImageTask.values()) {
            List<String> classes = t == ImageTask.FONT_LETTERS ? ImageTask.ALL_LETTERS : t.classNames();
            for (String tpl : t.templates()) {
                for (String c : classes) {
                    texts.add(tpl.replace("{}", c));
                }
            }
        }
        for (FontCatalog.FontSpec f : FontCatalog.TRAIN) {
            texts.add("in " + f.caption());
        }
        for (FontCatalog.FontSpec f : FontCatalog.HELD_OUT) {
            texts.add(f.caption());
        }
        return texts;
    }
}
