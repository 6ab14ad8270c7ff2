package dev.amalgam.model.heads;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeadsTest {
    // A fake text encoder: fixed vectors, deliberately not unit length.
    static final Map<String, float[]> VECTORS = Map.of(
            "cat", new float[] {3, 4, 0},
            "a cat", new float[] {0, 0, 2},
            "dog", new float[] {0, 1, 0},
            "a dog", new float[] {1, 0, 0});

    static final AtomicInteger CALLS = new AtomicInteger();
    static final TextEmbedder FAKE = texts -> {
        CALLS.incrementAndGet();
        return texts.stream().map(VECTORS::get).toArray(float[][]::new);
    };

    @Test
    void zeroShotHeadHandWorked() {
        ZeroShotHead head = ZeroShotHead.build(FAKE, List.of("cat", "dog"), List.of("{}", "a {}"), Math.log(100));
        // cat: mean((0.6, 0.8, 0), (0, 0, 1)) = (0.3, 0.4, 0.5), / sqrt(0.5)
        double r = Math.sqrt(0.5);
        assertArrayEquals(new float[] {(float) (0.3 / r), (float) (0.4 / r), (float) (0.5 / r)},
                head.classWeights()[0], 1e-6f);
        // dog: mean((0, 1, 0), (1, 0, 0)) = (0.5, 0.5, 0) -> (r, r, 0)
        assertArrayEquals(new float[] {(float) r, (float) r, 0}, head.classWeights()[1], 1e-6f);
        assertEquals(100f, head.scale(), 1e-4f);
        // image feature (0, 0, 5) -> unit (0, 0, 1): logits 100 * (0.5 / r, 0)
        assertArrayEquals(new float[] {(float) (100 * 0.5 / r), 0f}, head.logits(new float[] {0, 0, 5}), 1e-4f);
    }

    @Test
    void linearHead() {
        LinearHead h = new LinearHead(new float[][] {{1, 2}, {0, -1}}, new float[] {0.5f, 0});
        assertArrayEquals(new float[] {5.5f, -1f}, h.logits(new float[] {3, 1}), 1e-6f);
    }

    @Test
    void templates() {
        assertEquals("a photo of the number: \"7\".", PromptTemplates.fill("a photo of the number: \"{}\".", "7"));
        assertEquals("{x} cat", PromptTemplates.fill("{{x}} {}", "cat"));
    }

    @Test
    void cacheStoresAndReloadsAndKeysOnInputs(@TempDir Path dir) throws IOException {
        HeadCache cache = new HeadCache(dir);
        CALLS.set(0);
        ZeroShotHead a = cache.getOrBuild("enc-1", List.of("cat", "dog"), List.of("{}", "a {}"), Math.log(100), FAKE);
        int afterFirst = CALLS.get();
        ZeroShotHead b = cache.getOrBuild("enc-1", List.of("cat", "dog"), List.of("{}", "a {}"), Math.log(100), FAKE);
        assertEquals(afterFirst, CALLS.get(), "second lookup must not embed again");
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(a.classWeights()[c], b.classWeights()[c]);
        }
        assertEquals(a.scale(), b.scale());
        String k1 = HeadCache.key("enc-1", List.of("cat", "dog"), List.of("{}", "a {}"), Math.log(100));
        assertNotEquals(k1, HeadCache.key("enc-2", List.of("cat", "dog"), List.of("{}", "a {}"), Math.log(100)));
        assertNotEquals(k1, HeadCache.key("enc-1", List.of("dog", "cat"), List.of("{}", "a {}"), Math.log(100)));
        assertNotEquals(k1, HeadCache.key("enc-1", List.of("cat", "dog"), List.of("{}"), Math.log(100)));
        assertNotEquals(HeadCache.key("e", List.of("ab", "c"), List.of("{}"), 0),
                HeadCache.key("e", List.of("a", "bc"), List.of("{}"), 0));

        Path f = cache.fileFor(k1);
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // truncated data
        assertThrows(AmalgamException.class, () -> HeadCache.read(f));
    }
}
