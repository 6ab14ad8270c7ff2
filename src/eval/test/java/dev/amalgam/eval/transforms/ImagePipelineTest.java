package dev.amalgam.eval.transforms;

import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.eval.datasets.ListDataset;
import dev.amalgam.eval.transforms.corruption.Corruptions;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.image.FloatImage;

class ImagePipelineTest {

    @Test
    void batchesAreNchwAndCorruptionIsSeededByDatasetIndex() {
        RgbImage a = CorruptionTest.pattern(20, 16);
        RgbImage b = CorruptionTest.constant(16, 16, 10, 200, 30);
        ListDataset<ImageExample> d = new ListDataset<>("d", List.of("x", "y"), List.of(
                new ImageExample(a.toBufferedImage(), 0), new ImageExample(b.toBufferedImage(), 1),
                new ImageExample(a.toBufferedImage(), 0)));
        ImagePipeline p = new ImagePipeline(new ClipPreprocess(8), "gaussian_noise", 2, 5L);
        Iterator<ImagePipeline.Batch> it = p.batches(d, 2);
        ImagePipeline.Batch first = it.next();
        ImagePipeline.Batch second = it.next();
        assertFalse(it.hasNext());
        assertArrayEquals(new long[] {2, 3, 8, 8}, first.shape());
        assertArrayEquals(new long[] {1, 3, 8, 8}, second.shape());
        assertArrayEquals(new int[] {0, 1}, first.labels());
        assertEquals(2, second.firstIndex());
        // example 1, channel 1, pixel (0, 0) = index 1*192 + 64: noisy green around 200 -> (200/255 - mean) / std
        FloatImage expected = new ClipPreprocess(8).apply(Corruptions.apply("gaussian_noise", b, 2, 5L, 1L));
        assertEquals(expected.get(1, 0, 0), first.data()[192 + 64], 0f);
        // the third example is the same image as the first but index 2: different noise
        float[] third = java.util.Arrays.copyOfRange(second.data(), 0, 192);
        float[] firstImg = java.util.Arrays.copyOfRange(first.data(), 0, 192);
        assertFalse(java.util.Arrays.equals(third, firstImg));
    }
}
