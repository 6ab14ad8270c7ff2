package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.merge.data.MergeData;
import dev.amalgam.merge.data.TaskExamples;
import dev.amalgam.tensor.TensorBridge;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The clip-tasks suite hands its local images to the data-aware merges: run through the pre-trained
 * weights, the handed-over inputs and heads classify a task's test split as the independent reference
 * does (right on exactly 12 of 16 images by construction, see {@link TinyClipTasks}).
 */
class ClipTaskSuiteMergeDataTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("slow") // scores a CLIP suite twice
    void handedOverImagesAndHeadsScoreLikeTheReference() {
        Path pre = TinyClipTasks.clip(tmp.resolve("pre"), 1);
        Path ft = TinyClipTasks.clip(tmp.resolve("ft"), 2);
        Path catalog = TinyClipTasks.catalog(tmp.resolve("catalog"), TinyClipTasks.TEMPLATES.get("eurosat"));
        Path root = tmp.resolve("data");
        TinyClipTasks.Split split;
        try (TinyClipTasks.Reference ref = new TinyClipTasks.Reference(pre, pre)) {
            split = TinyClipTasks.writeSplit(root, "eurosat", "test", 16, 4, 12, ref);
            TinyClipTasks.writeSplit(root, "mnist", "test", 16, 4, 11, ref);
            int[] all = java.util.stream.IntStream.range(0, 16).toArray();
            double[] want = ref.accuracy("eurosat", split.images(), split.labels(), null, 0, all);
            ClipTaskOptions o = new ClipTaskOptions(pre, Map.of("mnist", ft), root, "mini", null, catalog, List.of(), 2, 0, 7,
                    tmp.resolve("cache"), ai.djl.Device.cpu(), 0);
            try (ClipTaskSuite suite = new ClipTaskSuite(o); Checkpoint weights = Checkpoints.open(pre);
                 NDManager m = NDManager.newBaseManager()) {
                MergeData data = suite.mergeData("test");
                TaskExamples ex = data.examples("eurosat", "test");
                assertEquals(16, ex.size());
                NDArray logits = data.model().logits(n -> TensorBridge.toF32(m, weights, n), "eurosat", ex.batch(0, 16, m));
                long[] pred = logits.argMax(1).toLongArray();
                int right = 0;
                for (int i = 0; i < 16; i++) {
                    right += pred[i] == split.labels()[i] ? 1 : 0;
                }
                assertEquals(want[0], right / 16.0, want[1] + 1e-12);
            }
        }
    }
}
