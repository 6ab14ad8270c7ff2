package dev.amalgam.demo.image;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.eval.datasets.DigitsReader;
import dev.amalgam.model.clip.ClipCheckpoints;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.train.clip.ContrastivePretrainer;
import dev.amalgam.train.clip.VisionFineTuner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A miniature zoo (a few steps, tiny splits): layout, manifest checksums, skipping, and per-stage rebuilds. */
@Tag("slow") // builds a miniature image zoo three times
class ImageZooBuildTest {

    @BeforeAll
    static void setup() {
        System.setProperty("java.awt.headless", "true");
        PackagedImageData.present();
    }

    private static ImageZoo.Options options(int finetuneSteps, boolean evaluate) {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        return new ImageZoo.Options(3, new TaskData.Sizes(16, 8, 8, 8), new PretrainMix.Sizes(8, 8, 8, 8),
                new ContrastivePretrainer.Settings(2, 8, 1e-3f, 0.1f, 0.5, 1),
                new VisionFineTuner.Settings(finetuneSteps, 8, 1e-3f, 0.1f, 0.5, 2), evaluate, quiet);
    }

    @Test
    void classCaptionRateChangesOnlyThePretrainingFingerprint() {
        ImageZoo.Options std = ImageZoo.Options.standard();
        ImageZoo.Options loose = std.withClassCaptionRate(0.25);
        assertFalse(std.fingerprint().has("class_caption_rate"), "zoos built before the option stay valid");
        assertEquals(0.25, loose.stageFingerprint("pretrained").path("class_caption_rate").asDouble());
        assertEquals(std.stageFingerprint("fashion"), loose.stageFingerprint("fashion"));
        assertEquals(std.stageFingerprint("data"), loose.stageFingerprint("data"));
        assertThrows(dev.amalgam.AmalgamException.class, () -> std.withClassCaptionRate(0));
        assertThrows(dev.amalgam.AmalgamException.class, () -> std.withClassCaptionRate(1.5));
    }

    @Test
    void buildsSkipsAndRebuildsOnlyStaleStages(@TempDir Path zoo) throws Exception {
        JsonNode first = ImageZoo.build(zoo, options(2, true));
        for (String m : new String[] {"pretrained", "fashion", "font_digits", "font_letters", "shapes"}) {
            Path st = zoo.resolve(m).resolve("model.safetensors");
            assertTrue(Files.isRegularFile(st), m);
            assertTrue(Files.isRegularFile(zoo.resolve(m).resolve("config.json")));
            assertTrue(Files.isRegularFile(zoo.resolve(m).resolve("tokenizer.json")));
            assertEquals(ClipCheckpoints.sha256(st), first.path("models").path(m).path("sha256").asText(), m);
        }
        assertEquals(ClipCheckpoints.sha256(ImageZoo.dataFile(zoo, ImageTask.SHAPES, "outlined")),
                first.path("data").path("shapes/outlined").asText());
        assertTrue(first.path("results").path("pretrained").path("fashion").has("reframed"));
        assertTrue(first.path("results").path("font_digits").path("font_digits").has("corruptions_mean"));

        Path pre = zoo.resolve("pretrained/model.safetensors");
        Path ft = zoo.resolve("fashion/model.safetensors");
        FileTime preTime = Files.getLastModifiedTime(pre);
        FileTime ftTime = Files.getLastModifiedTime(ft);
        JsonNode again = ImageZoo.build(zoo, options(2, true));
        assertEquals(first.path("models").toString(), again.path("models").toString(), "nothing rebuilt");
        assertEquals(preTime, Files.getLastModifiedTime(pre));
        assertEquals(ftTime, Files.getLastModifiedTime(ft));

        JsonNode changed = ImageZoo.build(zoo, options(3, false));
        assertEquals(first.path("models").path("pretrained").toString(), changed.path("models").path("pretrained").toString(),
                "fine-tuning settings do not touch the pretrained stage");
        assertEquals(preTime, Files.getLastModifiedTime(pre));
        assertNotEquals(first.path("models").path("fashion").path("settings").toString(),
                changed.path("models").path("fashion").path("settings").toString());
        assertNotEquals(Files.getLastModifiedTime(ft), ftTime, "fine-tunes rebuilt");

        // The fine-tunes share the pretrained text tower exactly.
        try (NDManager m = NDManager.newBaseManager();
             ClipModel base = (ClipModel) ModelRegistry.fromCheckpoint(zoo.resolve("pretrained"), m);
             ClipModel tuned = (ClipModel) ModelRegistry.fromCheckpoint(zoo.resolve("shapes"), m)) {
            for (String n : base.parameterNames()) {
                if (!VisionFineTuner.isVision(n)) {
                    assertTrue(java.util.Arrays.equals(base.parameter(n).toFloatArray(), tuned.parameter(n).toFloatArray()), n);
                }
            }
        }
        try (ImageSuite suite = ImageSuite.open(zoo)) {
            double acc = suite.evaluate(suite.pretrained(), ImageTask.SHAPES, "test");
            assertEquals(first.path("results").path("pretrained").path("shapes").path("test").asDouble(), acc, 1e-4);
            assertEquals(8, suite.oodSets(ImageTask.FONT_LETTERS).size());
            assertEquals(8 * 3 * 28 * 28, suite.corrupted(ImageTask.FASHION, "spatter").nchw().length);
        }
    }
}
