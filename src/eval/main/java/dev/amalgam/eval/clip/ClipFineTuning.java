package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.suites.LocalTaskData;
import dev.amalgam.eval.suites.SuiteCatalog;
import dev.amalgam.eval.suites.TaskSpec;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.io.DType;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.ClipTextEmbedder;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.train.CheckpointSaver;
import dev.amalgam.train.Example;
import dev.amalgam.train.FineTuneConfig;
import dev.amalgam.train.FineTuneListener;
import dev.amalgam.train.FineTuneResult;
import dev.amalgam.train.TrainingLoop;
import dev.amalgam.train.clip.IndexBatches;
import dev.amalgam.train.clip.LabeledImages;
import dev.amalgam.train.clip.VisionFineTuner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The whole {@code amalgam finetune} job on a CLIP checkpoint (the task-vectors recipe): the task's
 * zero-shot head is built with the checkpoint's own text tower from the catalog task's class names
 * and prompt templates, exactly as the CLIP task suites build it; then only the vision tower is
 * trained against that frozen head ({@link VisionFineTuner}); the weights (best on the validation
 * split when the task has one) are saved in Hugging Face layout with the checkpoint's config,
 * tokenizer and preprocessor files, so {@code amalgam merge} and {@code amalgam eval} read it like any
 * other fine-tuned CLIP.
 *
 * <p>Task data: {@code DIR/train/<one folder per class>} and optionally {@code DIR/val/...}, or a
 * {@code DIR/manifest.yaml}, as under {@code amalgam eval --data-root} (docs/datasets.md). Images are
 * decoded and preprocessed as for evaluation, batch by batch.
 */
public final class ClipFineTuning {
    public static final String TRAIN = "train";
    public static final String VAL = "val";

    private ClipFineTuning() {
    }

    /**
     * @param taskName the catalog task whose classes and templates build the head
     * @param catalogDir suite/task YAML directory, or null for the built-in catalog
     */
    public static FineTuneResult run(Path modelDir, Path taskDir, String taskName, Path catalogDir, Path out,
                                     FineTuneConfig cfg, DType dtype, FineTuneListener listener) {
        if (!dtype.isFloat()) {
            throw new AmalgamException("--dtype must be a float type, got " + dtype);
        }
        CheckpointSaver.requireNewOutput(out);
        ClipTaskSuite.requireClip(modelDir, true);
        SuiteCatalog catalog = catalogDir != null ? SuiteCatalog.fromDirectory(catalogDir) : SuiteCatalog.builtin();
        TaskSpec spec = catalog.task(taskName);
        Dataset<? extends Example> train = checked(LocalTaskData.openDir(taskDir, spec, TRAIN), spec);
        Dataset<? extends Example> val = LocalTaskData.hasSplit(taskDir, VAL)
                ? checked(LocalTaskData.openDir(taskDir, spec, VAL), spec) : null;
        int perEpoch = IndexBatches.perEpoch(train.size(), cfg.batchSize());
        try (NDManager manager = NDManager.newBaseManager()) {
            HfModelBlock block = ModelRegistry.fromCheckpoint(modelDir, manager);
            if (!(block instanceof ClipModel model)) {
                throw new AmalgamException(modelDir.resolve("config.json") + ": not a CLIP model");
            }
            ZeroShotHead head = ZeroShotHead.build(ClipTextEmbedder.precomputed(model, modelDir, spec.classes(),
                    spec.templates()), spec.classes(), spec.templates(), model.parameter("logit_scale").getFloat());
            ClipPreprocess preprocess = new ClipPreprocess(model.config().imageSize());
            TrainingLoop.Settings settings = new TrainingLoop.Settings(cfg.totalSteps(perEpoch),
                    (float) cfg.learningRate(), cfg.warmupRatio(), (float) cfg.weightDecay(), (float) cfg.beta1(),
                    (float) cfg.beta2(), (float) cfg.epsilon(), cfg.maxGradNorm(), cfg.evalEvery(), cfg.patience());
            FineTuneResult r = VisionFineTuner.fit(model, head, new Preprocessed(train, preprocess),
                    val == null ? null : new Preprocessed(val, preprocess), cfg.batchSize(), cfg.seed(), settings,
                    listener);
            listener.onEnd(r);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (String name : model.parameterNames()) {
                weights.put(name, model.parameter(name));
            }
            CheckpointSaver.saveWeights(out, weights, modelDir, dtype);
            return r;
        }
    }

    private static Dataset<? extends Example> checked(Dataset<? extends Example> d, TaskSpec spec) {
        if (d.numClasses() != spec.numClasses()) {
            throw new AmalgamException(d.name() + ": " + d.numClasses() + " class folders but task " + spec.name()
                    + " has " + spec.numClasses() + " classes");
        }
        if (d.size() == 0) {
            throw new AmalgamException(d.name() + ": no images");
        }
        return d;
    }

    /** A local split's images, decoded and preprocessed as for evaluation when a batch asks for them. */
    private record Preprocessed(Dataset<? extends Example> d, ClipPreprocess preprocess) implements LabeledImages {
        @Override
        public int count() {
            return d.size();
        }

        @Override
        public int side() {
            return preprocess.size();
        }

        @Override
        public int label(int i) {
            return d.label(i);
        }

        @Override
        public float[] nchw(int[] indices) {
            int per = 3 * side() * side();
            float[] out = new float[indices.length * per];
            IntStream.range(0, indices.length).parallel().forEach(k -> {
                if (!(d.get(indices[k]) instanceof ImageExample im)) {
                    throw new AmalgamException(d.name() + ": not an image dataset");
                }
                System.arraycopy(preprocess.apply(RgbImage.of(im.image())).data(), 0, out, k * per, per);
            });
            return out;
        }
    }
}
