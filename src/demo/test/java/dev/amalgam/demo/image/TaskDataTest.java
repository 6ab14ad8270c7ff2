package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.model.clip.WordTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskDataTest {
    private static final TaskData.Sizes SIZES = new TaskData.Sizes(60, 20, 30, 30);

    @BeforeAll
    static void setup() {
        System.setProperty("java.awt.headless", "true");
        PackagedImageData.present();
    }

    @Test
    void sizesLabelsAndDeterminism() {
        TaskData a = new TaskData(11, SIZES);
        TaskData b = new TaskData(11, SIZES);
        for (ImageTask t : ImageTask.values()) {
            List<String> splits = TaskData.splitNames(t);
            assertEquals(4, splits.size());
            int[] want = {SIZES.train(), SIZES.val(), SIZES.test(), SIZES.ood()};
            for (int i = 0; i < splits.size(); i++) {
                GrayImages x = a.build(t, splits.get(i));
                assertEquals(want[i], x.count(), t.id() + "/" + splits.get(i));
                assertEquals(28, x.side());
                for (int l : x.labels()) {
                    assertTrue(l >= 0 && l < t.classNames().size());
                }
                assertArrayEquals(x.pixels(), b.build(t, splits.get(i)).pixels(), "same seed, same data");
            }
            assertFalse(Arrays.equals(a.build(t, "test").pixels(), new TaskData(12, SIZES).build(t, "test").pixels()),
                    t.id() + ": another seed gives other test images");
        }
    }

    /** No image occurs in two splits of a task, nor in the pretraining mix together with a test/OOD split. */
    @Test
    void splitsAndPretrainingAreDisjoint() {
        TaskData d = new TaskData(11, SIZES);
        Set<String> pretrain = fingerprints(PretrainMix.build(d, 11, new PretrainMix.Sizes(200, 100, 100, 100)).images());
        for (ImageTask t : ImageTask.values()) {
            Set<String> seen = new HashSet<>();
            for (String split : TaskData.splitNames(t)) {
                Set<String> f = fingerprints(d.build(t, split));
                for (String s : f) {
                    assertTrue(seen.add(s), t.id() + "/" + split + " repeats an image of an earlier split");
                }
                if (!split.equals("train") && !split.equals("val")) {
                    for (String s : f) {
                        assertFalse(pretrain.contains(s), t.id() + "/" + split + " image occurs in the pretraining mix");
                    }
                }
            }
        }
    }

    @Test
    void pretrainMixCaptionsNameTheClass() {
        TaskData d = new TaskData(11, SIZES);
        PretrainMix mix = PretrainMix.build(d, 11, new PretrainMix.Sizes(20, 20, 52, 20));
        assertEquals(112, mix.images().count());
        assertEquals(112, mix.captions().size());
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        for (int i = 0; i < mix.captions().size(); i++) {
            for (long id : tok.encode(mix.captions().get(i))) {
                assertTrue(id != WordTokenizer.UNK_ID, "caption '" + mix.captions().get(i) + "' has an unknown word");
            }
        }
        // Letters K..Z appear in pretraining even though font_letters only has A..J.
        assertTrue(mix.captions().stream().anyMatch(c -> c.matches(".*letter Z( .*)?$")));
        assertTrue(mix.captions().get(0).contains(ImageTask.FASHION.classNames().get(mix.images().labels()[0])));
    }

    @Test
    void looseCaptionsNameTheClassAtTheGivenRateAndOnlyThere() {
        TaskData d = new TaskData(11, SIZES);
        PretrainMix mix = PretrainMix.build(d, 11, new PretrainMix.Sizes(100, 100, 100, 100), 0.25);
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        ImageTask[] domains = {ImageTask.FASHION, ImageTask.FONT_DIGITS, ImageTask.FONT_LETTERS, ImageTask.SHAPES};
        int named = 0;
        for (int i = 0; i < 400; i++) {
            ImageTask domain = domains[i / 100];
            String caption = mix.captions().get(i);
            int base = 100 * (i / 100);
            int key = mix.keys()[i];
            if (key == base + PretrainMix.UNNAMED_KEY) {
                String plain = caption.replaceFirst(" in .*$", "");
                assertTrue(PretrainMix.UNNAMED.get(domain).contains(plain), caption);
            } else {
                named++;
                assertEquals(base + mix.images().labels()[i], key, caption);
                List<String> classes = domain == ImageTask.FONT_LETTERS ? ImageTask.ALL_LETTERS : domain.classNames();
                String name = classes.get(mix.images().labels()[i]);
                assertTrue(caption.contains(name), caption + " names " + name);
            }
            for (long id : tok.encode(caption)) {
                assertTrue(id != WordTokenizer.UNK_ID, "caption '" + caption + "' has an unknown word");
            }
        }
        // 400 draws at p = 0.25: mean 100, sd 8.7; the bounds are about 4 sd away.
        assertTrue(named > 65 && named < 135, "named captions: " + named);
    }

    @Test
    void classCaptionRateOneIsTheStandardMix() {
        // Hashes of the standard mix printed by the code before the caption-rate option existed
        // (commit 3321784): Arrays.hashCode over the per-image Arrays.hashCode, and List.hashCode.
        PretrainMix mix = PretrainMix.build(new TaskData(7, new TaskData.Sizes(256, 32, 32, 32)), 7,
                PretrainMix.Sizes.standard(), 1.0);
        int n = mix.images().count();
        int hw = mix.images().side() * mix.images().side();
        int[] per = new int[n];
        for (int i = 0; i < n; i++) {
            per[i] = Arrays.hashCode(Arrays.copyOfRange(mix.images().pixels(), i * hw, (i + 1) * hw));
        }
        assertEquals(0xde35783a, Arrays.hashCode(per));
        assertEquals(0x8420e4ca, mix.captions().hashCode());
        assertTrue(Arrays.stream(mix.keys()).noneMatch(k -> k % 100 == PretrainMix.UNNAMED_KEY));
    }

    private static Set<String> fingerprints(GrayImages g) {
        Set<String> out = new HashSet<>();
        int n = g.side() * g.side();
        for (int i = 0; i < g.count(); i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(g.pixels(), i * n, (i + 1) * n)));
        }
        return out;
    }
}
