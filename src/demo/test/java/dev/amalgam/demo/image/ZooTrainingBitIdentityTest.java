package dev.amalgam.demo.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.model.clip.ClipCheckpoints;
import dev.amalgam.train.clip.ContrastivePretrainer;
import dev.amalgam.train.clip.VisionFineTuner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the SHA-256 of every checkpoint a miniature zoo builds (contrastive pretraining, the four
 * single-task vision fine-tunes, the multi-task fine-tune), exactly as {@link ImageZoo} configures
 * the trainers, with one libtorch thread. The checksums were recorded with the trainers as they were
 * before they moved onto the shared training loop (commit "bit-identity guard", branch h-train13):
 * any change to the order of a floating-point op, an RNG draw or a batch changes them, and the
 * shipped zoo (eval/results/zoo-image.json) would no longer rebuild to its recorded checksums.
 */
@Tag("slow") // a miniature zoo build
class ZooTrainingBitIdentityTest {
    private static final Map<String, String> PINNED = Map.of(
            "pretrained", "cc7c265e27e096ab96121c0bd7524286acc9e624811e1a51d33dc4c535010c74",
            "fashion", "1f04a83a096143a5b8ec7e7e3fedd2b249950fb2032ab282fe3727129c556661",
            "font_digits", "8b9fb2ea64d8d5a8c44b88065f07e0abbe45a6b510683a8433c0f1ec5672f1fc",
            "font_letters", "25c16d1a95b1e2c4269ab042c4722edb0679b17a6f3602b408b7b18f725bf04d",
            "shapes", "df0a16fa4c3a3ec858a078ea375779af8fa3a4d177fcb4e600d69a9585a4de97",
            "multitask", "9408a7c2ac9151377ed746a20d1c82093d075e2f5bd3d7b7d1526af073560c4e");

    @BeforeAll
    static void setup() {
        System.setProperty("java.awt.headless", "true");
        PackagedImageData.present();
    }

    @Test
    void miniatureZooCheckpointsKeepTheirChecksums(@TempDir Path zoo) {
        ImageZoo.Options options = new ImageZoo.Options(3, new TaskData.Sizes(16, 8, 8, 8),
                new PretrainMix.Sizes(16, 16, 16, 16), new ContrastivePretrainer.Settings(6, 16, 1e-3f, 0.1f, 0.5, 1),
                new VisionFineTuner.Settings(4, 8, 1e-3f, 0.1f, 0.5, 2), false,
                new PrintStream(PrintStream.nullOutputStream()));
        JsonNode manifest = ImageZoo.build(zoo, options);
        StringBuilder actual = new StringBuilder();
        for (String m : new String[] {"pretrained", "fashion", "font_digits", "font_letters", "shapes", "multitask"}) {
            String sha = ClipCheckpoints.sha256(zoo.resolve(m).resolve("model.safetensors"));
            assertEquals(manifest.path("models").path(m).path("sha256").asText(), sha, m);
            actual.append(m).append('=').append(sha).append('\n');
        }
        for (String m : new String[] {"pretrained", "fashion", "font_digits", "font_letters", "shapes", "multitask"}) {
            assertEquals(PINNED.get(m), ClipCheckpoints.sha256(zoo.resolve(m).resolve("model.safetensors")),
                    m + " changed; all checksums now:\n" + actual);
        }
    }
}
