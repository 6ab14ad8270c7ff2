package dev.amalgam.eval.transforms;

import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.eval.transforms.corruption.Corruptions;

import java.util.Iterator;
import java.util.NoSuchElementException;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.image.FloatImage;

/**
 * Image → model input: optional corruption (applied to the stored image, as the corrupted test sets
 * were made, seeded by dataset index), then CLIP preprocessing. Produces NCHW float batches.
 */
public final class ImagePipeline {
    private final ClipPreprocess preprocess;
    private final String corruption;
    private final int severity;
    private final long seed;

    /** @param corruption null or "clean" for none */
    public ImagePipeline(ClipPreprocess preprocess, String corruption, int severity, long seed) {
        this.preprocess = preprocess;
        this.corruption = corruption == null || corruption.equals("clean") ? null : corruption;
        this.severity = severity;
        this.seed = seed;
        if (this.corruption != null) {
            Corruptions.byName(this.corruption); // fail fast on a bad name
        }
    }

    public static ImagePipeline clean(int size) {
        return new ImagePipeline(new ClipPreprocess(size), null, 0, 0);
    }

    public FloatImage apply(ImageExample example, long index) {
        RgbImage im = RgbImage.of(example.image());
        if (corruption != null) {
            im = Corruptions.apply(corruption, im, severity, seed, index);
        }
        return preprocess.apply(im);
    }

    /** One batch: {@code data} is [n, 3, size, size] row-major. */
    public record Batch(float[] data, long[] shape, int[] labels, int firstIndex) {
    }

    public Iterator<Batch> batches(Dataset<ImageExample> data, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        int s = preprocess.size();
        int per = 3 * s * s;
        return new Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                return next < data.size();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(batchSize, data.size() - next);
                float[] buf = new float[n * per];
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    ImageExample ex = data.get(next + i);
                    System.arraycopy(apply(ex, next + i).data(), 0, buf, i * per, per);
                    labels[i] = ex.label();
                }
                Batch b = new Batch(buf, new long[] {n, 3, s, s}, labels, next);
                next += n;
                return b;
            }
        };
    }
}
