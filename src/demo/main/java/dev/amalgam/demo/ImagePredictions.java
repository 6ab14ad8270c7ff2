package dev.amalgam.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.demo.image.ImageSet;
import dev.amalgam.demo.image.ZeroShot;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.report.Outcomes;

/**
 * Per-example outcomes of the image suite's zero-shot protocol (the class of highest
 * {@link ZeroShot#logits} is the prediction, as in {@code ZeroShot.accuracy}), for the paired statistics.
 */
final class ImagePredictions {
    private static final int BATCH = 250;

    private ImagePredictions() {
    }

    /** Right or wrong per image of {@code set}, fingerprinted as {@code examples} (the clean split the set derives from). */
    static Outcomes outcomes(ClipModel vision, ZeroShotHead head, ImageSet set, String examples) {
        int[] pred = new int[set.size()];
        try (NDManager m = vision.manager().newSubManager()) {
            NDArray w = ZeroShot.scaledWeights(head, m);
            for (int from = 0; from < pred.length; from += BATCH) {
                int to = Math.min(pred.length, from + BATCH);
                try (NDManager step = m.newSubManager()) {
                    long[] p = ZeroShot.logits(vision, set.pixels(from, to, step), w).argMax(1)
                            .toType(DataType.INT64, false).toLongArray();
                    for (int i = 0; i < p.length; i++) {
                        pred[from + i] = (int) p[i];
                    }
                }
            }
        }
        return Outcomes.of(pred, set.labels(), Outcomes.fingerprint(examples, set.labels()));
    }
}
