package dev.amalgam.demo;

import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.report.Outcomes;
import dev.amalgam.train.clip.ZeroShot;

/**
 * Per-example outcomes of the image suite's zero-shot protocol (the predictions {@code ZeroShot.accuracy}
 * counts), for the paired statistics.
 */
final class ImagePredictions {
    private ImagePredictions() {
    }

    /** Right or wrong per image of {@code set}, fingerprinted as {@code examples} (the clean split the set derives from). */
    static Outcomes outcomes(ClipModel vision, ZeroShotHead head, ImageSet set, String examples) {
        int[] pred = ZeroShot.predictions(vision, head, set.nchw(), set.size(), set.side());
        return Outcomes.of(pred, set.labels(), Outcomes.fingerprint(examples, set.labels()));
    }
}
