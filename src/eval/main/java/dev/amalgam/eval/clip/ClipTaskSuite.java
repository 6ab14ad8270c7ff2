package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.eval.datasets.DatasetManifest;
import dev.amalgam.train.Example;
import dev.amalgam.eval.datasets.Splits;
import dev.amalgam.model.heads.HeadCache;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.suites.LocalTaskData;
import dev.amalgam.eval.suites.SuiteCatalog;
import dev.amalgam.eval.suites.TaskSpec;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.ClipTextEmbedder;
import dev.amalgam.report.Outcomes;
import dev.amalgam.tensor.TensorBridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CLIP image classification task suites (TA8, TALL14, TALL20, or a task list) on a user's local data,
 * as the task-arithmetic / FusionBench papers evaluate them: the current vision tower is scored on
 * each task's test split with zero-shot heads built once from the FROZEN pre-trained text tower
 * (cached on disk by {@link HeadCache}). ID = clean test accuracy. OOD columns per task:
 * {@code <task>/<corruption>} for the selected corruptions (applied to the same test images) and
 * {@code <task>/ood} when the data root has a natural-shift split ({@code <root>/<task>/ood/} or a
 * manifest split {@code ood}) with the same classes. While the pre-trained vision weights are loaded,
 * clean-image features are read from / written to a {@link FeatureCache} under {@code cacheDir/features}.
 */
public final class ClipTaskSuite implements EvaluationSuite, dev.amalgam.merge.data.MergeDataProvider {
    /** The natural-shift split name under a task's data directory. */
    public static final String NATURAL_SPLIT = "ood";

    private final ClipTaskOptions o;
    private final String name;
    private final List<TaskSpec> specs = new ArrayList<>();
    private final List<String> tasks = new ArrayList<>();
    private final List<String> oodColumns = new ArrayList<>();
    private final Map<String, Dataset<? extends Example>> test = new LinkedHashMap<>();
    private final Map<String, Dataset<? extends Example>> natural = new LinkedHashMap<>();
    private final Map<String, int[]> testIdx = new LinkedHashMap<>();
    private final Map<String, int[]> naturalIdx = new LinkedHashMap<>();
    private final Map<String, ZeroShotHead> heads = new LinkedHashMap<>();
    private final NDManager manager;
    private final ClipModel model;
    private final ClipImageScorer scorer;
    private final SuiteCatalog catalog;
    private final FeatureCache featureCache;
    private String textId;
    private double logitScale;
    private String visionId;
    private boolean pretrainedWeights = true;
    private int headsBuilt;
    private int featureHits;

    public ClipTaskSuite(ClipTaskOptions options) {
        this.o = options;
        requireClip(o.pretrainedDir(), true);
        catalog = o.catalogDir() != null ? SuiteCatalog.fromDirectory(o.catalogDir()) : SuiteCatalog.builtin();
        List<String> names = o.tasks() != null ? o.tasks() : catalog.suite(o.suite()).tasks();
        this.name = o.tasks() != null && o.suite() == null ? "clip-tasks" : o.suite().toLowerCase(Locale.ROOT);
        if (!Files.isDirectory(o.dataRoot())) {
            throw new AmalgamException(o.dataRoot() + ": data root not found (see docs/datasets.md)");
        }
        for (String t : names) {
            if (tasks.contains(t)) {
                throw new AmalgamException("task '" + t + "' is listed twice");
            }
            TaskSpec spec = catalog.task(t);
            specs.add(spec);
            tasks.add(t);
            Dataset<? extends Example> d = checkedClasses(LocalTaskData.open(o.dataRoot(), spec, "test"), spec, "test");
            test.put(t, d);
            testIdx.put(t, select(d));
            for (String c : o.corruptions()) {
                oodColumns.add(t + "/" + c);
            }
            if (hasSplit(o.dataRoot().resolve(t), NATURAL_SPLIT)) {
                Dataset<? extends Example> n = checkedClasses(LocalTaskData.open(o.dataRoot(), spec, NATURAL_SPLIT),
                        spec, NATURAL_SPLIT);
                natural.put(t, n);
                naturalIdx.put(t, select(n));
                oodColumns.add(t + "/" + NATURAL_SPLIT);
            }
        }
        manager = NDManager.newBaseManager(o.device());
        try {
            HfModelBlock block = ModelRegistry.fromCheckpoint(o.pretrainedDir(), manager);
            if (!(block instanceof ClipModel clip)) {
                block.close();
                throw new AmalgamException(o.pretrainedDir().resolve("config.json") + ": not a CLIP model");
            }
            model = clip;
            buildHeads();
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        scorer = new ClipImageScorer(model, o.batchSize(), o.seed());
        featureCache = new FeatureCache(o.cacheDir().resolve("features"));
    }

    /** Fails with one line unless {@code dir} is a CLIP checkpoint ({@code full}: with its text tower). */
    public static void requireClip(Path dir, boolean full) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new AmalgamException(cfg + ": not found (a CLIP model directory in Hugging Face layout is needed)");
        }
        String type = HfConfig.read(cfg).text("model_type", "");
        boolean ok = type.equals("clip") || !full && type.equals("clip_vision_model");
        if (!ok) {
            throw new AmalgamException(cfg + ": model_type '" + type + "' is not CLIP (need "
                    + (full ? "'clip'" : "'clip' or 'clip_vision_model'") + ")");
        }
    }

    private static boolean hasSplit(Path taskDir, String split) {
        return LocalTaskData.hasSplit(taskDir, split);
    }

    private Dataset<? extends Example> checkedClasses(Dataset<? extends Example> d, TaskSpec spec, String split) {
        if (d.numClasses() != spec.numClasses()) {
            throw new AmalgamException(o.dataRoot().resolve(spec.name()).resolve(split) + ": " + d.numClasses()
                    + " classes but task " + spec.name() + " has " + spec.numClasses() + " (see docs/datasets.md)");
        }
        return d;
    }

    /** All indices, or a stratified seeded subsample of {@code limit} (parent indices, ascending). */
    private <E extends Example> int[] select(Dataset<E> d) {
        if (d.size() == 0) {
            throw new AmalgamException(d.name() + ": no images");
        }
        if (o.limit() == 0 || o.limit() >= d.size()) {
            return java.util.stream.IntStream.range(0, d.size()).toArray();
        }
        return Splits.subsample(d, o.limit(), o.seed()).parentIndices();
    }

    private void buildHeads() {
        textId = TowerIds.text(o.pretrainedDir());
        logitScale = model.parameter("logit_scale").getFloat();
        for (TaskSpec spec : specs) {
            heads.put(spec.name(), headFor(spec));
        }
    }

    /** The text tower and logit_scale are never rewritten by {@link #setWeights}, so this is always the pre-trained head. */
    private ZeroShotHead headFor(TaskSpec spec) {
        String key = HeadCache.key(textId, spec.classes(), spec.templates(), logitScale);
        return new HeadCache(o.cacheDir()).getOrBuild(key, () -> {
            headsBuilt++;
            return ZeroShotHead.build(ClipTextEmbedder.precomputed(model, o.pretrainedDir(), spec.classes(), spec.templates()),
                    spec.classes(), spec.templates(), logitScale);
        });
    }

    /** How many clean-image feature sets were read from the feature cache so far. */
    public int featureCacheHits() {
        return featureHits;
    }

    /** How many heads were computed (not read from the cache) when this suite was opened. */
    public int headsBuilt() {
        return headsBuilt;
    }

    public ZeroShotHead head(String task) {
        return heads.get(task);
    }

    /**
     * Each task's local {@code split} images, preprocessed on demand as for evaluation, with the frozen
     * zero-shot heads: the data-aware merges' input (docs/methods/data-aware.md).
     */
    @Override
    public dev.amalgam.merge.data.MergeData mergeData(String split) {
        dev.amalgam.eval.transforms.ClipPreprocess preprocess = new dev.amalgam.eval.transforms.ClipPreprocess(
                model.config().imageSize());
        Map<String, dev.amalgam.merge.data.TaskExamples> examples = new LinkedHashMap<>();
        for (TaskSpec spec : specs) {
            Dataset<? extends Example> d = checkedClasses(LocalTaskData.open(o.dataRoot(), spec, split), spec, split);
            examples.put(spec.name(), new dev.amalgam.merge.data.TaskExamples() {
                public int size() {
                    return d.size();
                }

                public ai.djl.ndarray.NDList batch(int from, int to, NDManager m) {
                    int side = preprocess.size();
                    int per = 3 * side * side;
                    float[] buf = new float[(to - from) * per];
                    java.util.stream.IntStream.range(from, to).parallel().forEach(i -> {
                        if (!(d.get(i) instanceof dev.amalgam.eval.datasets.ImageExample im)) {
                            throw new AmalgamException(d.name() + ": not an image dataset");
                        }
                        float[] f = preprocess.apply(dev.amalgam.eval.image.RgbImage.of(im.image())).data();
                        System.arraycopy(f, 0, buf, (i - from) * per, per);
                    });
                    return new ai.djl.ndarray.NDList(m.create(buf, new ai.djl.ndarray.types.Shape(to - from, 3, side, side)));
                }
            });
        }
        return new dev.amalgam.merge.data.MergeData(dev.amalgam.merge.data.TaskHeadsModel.clip(model, heads), examples,
                "the " + name + " suite's local " + split + " split");
    }

    public ClipModel model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return "CLIP task suite " + name + " (" + tasks.size() + " tasks; zero-shot heads from "
                + o.pretrainedDir().getFileName() + ")";
    }

    @Override
    public List<String> tasks() {
        return List.copyOf(tasks);
    }

    @Override
    public List<String> oodColumns() {
        return List.copyOf(oodColumns);
    }

    @Override
    public Path pretrainedDir() {
        return o.pretrainedDir();
    }

    @Override
    public Path taskModelDir(String task) {
        Path p = o.taskModels().get(task);
        if (p == null) {
            throw new AmalgamException("no fine-tuned model given for task '" + task + "'");
        }
        return p;
    }

    @Override
    public String pretrainedLabel() {
        return "Pre-trained (zero-shot)";
    }

    @Override
    public Scores pretrainedScores() {
        try (Checkpoint c = Checkpoints.open(o.pretrainedDir())) {
            setWeights(c);
        }
        pretrainedWeights = true;
        return evaluateAll();
    }

    /** Every task's scores with the current weights. */
    public Scores evaluateAll() {
        List<Scores> parts = new java.util.ArrayList<>();
        for (String t : tasks) {
            parts.add(evaluate(t));
        }
        return Scores.combine(parts);
    }

    /** Writes the vision tower and visual projection; the text tower stays frozen (heads are built). */
    @Override
    public void setWeights(TensorSource weights) {
        int written = 0;
        try (NDManager m = manager.newSubManager()) {
            for (String p : model.parameterNames()) {
                if (TowerIds.isTextTensor(p) || !weights.contains(p)) {
                    continue;
                }
                try (NDArray a = TensorBridge.toF32(m, weights, p)) {
                    if (!a.getShape().equals(model.parameter(p).getShape())) {
                        throw new AmalgamException(weights.describe() + ": tensor " + p + " has shape " + a.getShape()
                                + " but the CLIP model expects " + model.parameter(p).getShape());
                    }
                    model.setParameter(p, a);
                    written++;
                }
            }
        }
        if (written == 0) {
            throw new AmalgamException(weights.describe() + ": no CLIP vision tensors (vision_model.*) to evaluate");
        }
        pretrainedWeights = false;
    }

    @Override
    public Scores evaluate(String task) {
        Dataset<? extends Example> d = test.get(task);
        if (d == null || !tasks.contains(task)) {
            throw new AmalgamException("task '" + task + "' is not in this suite " + tasks);
        }
        ZeroShotHead head = heads.get(task);
        int[] idx = testIdx.get(task);
        int[] labels = labels(d, idx);
        Map<String, Double> ood = new LinkedHashMap<>();
        Map<String, Integer> oodN = new LinkedHashMap<>();
        Map<String, Outcomes> outcomes = new LinkedHashMap<>();
        // the corrupted copies score the clean test examples: one fingerprint, resampled together (docs/run.md)
        String testSet = Outcomes.fingerprint(task + "/test", labels, idx);
        Outcomes id = Outcomes.of(ClipImageScorer.classify(clean(d, idx), head), labels, testSet);
        outcomes.put(task, id);
        for (String c : o.corruptions()) {
            Outcomes oc = Outcomes.of(scorer.predict(d, idx, head, c, o.severity()), labels, testSet);
            ood.put(task + "/" + c, oc.mean());
            oodN.put(task + "/" + c, idx.length);
            outcomes.put(Scores.oodKey(task + "/" + c), oc);
        }
        Dataset<? extends Example> n = natural.get(task);
        if (n != null) {
            int[] ni = naturalIdx.get(task);
            int[] nl = labels(n, ni);
            Outcomes on = Outcomes.of(ClipImageScorer.classify(clean(n, ni), head), nl,
                    Outcomes.fingerprint(task + "/" + NATURAL_SPLIT, nl, ni));
            ood.put(task + "/" + NATURAL_SPLIT, on.mean());
            oodN.put(task + "/" + NATURAL_SPLIT, ni.length);
            outcomes.put(Scores.oodKey(task + "/" + NATURAL_SPLIT), on);
        }
        return new Scores(Map.of(task, id.mean()), ood, Map.of(task, idx.length), oodN, outcomes);
    }

    /**
     * Unseen-task generalisation: clean test accuracy of the current weights on {@code task} with its
     * zero-shot head from the frozen pre-trained text tower, which does not depend on the merged task
     * set. The task may be outside {@link #tasks()}; its data and head are then opened on first use.
     */
    @Override
    public Scores evaluateUnseen(String task) {
        if (!test.containsKey(task)) {
            TaskSpec spec = catalog.task(task);
            Dataset<? extends Example> d = checkedClasses(LocalTaskData.open(o.dataRoot(), spec, "test"), spec, "test");
            test.put(task, d);
            testIdx.put(task, select(d));
            heads.put(task, headFor(spec));
        }
        Dataset<? extends Example> d = test.get(task);
        int[] idx = testIdx.get(task);
        int[] labels = labels(d, idx);
        Outcomes acc = Outcomes.of(ClipImageScorer.classify(clean(d, idx), heads.get(task)), labels,
                Outcomes.fingerprint(task + "/test", labels, idx));
        return new Scores(Map.of(task, acc.mean()), Map.of(), Map.of(task, idx.length), Map.of(), Map.of(task, acc));
    }

    /** Clean-image features; with the pre-trained vision weights loaded, through the on-disk feature cache. */
    private float[][] clean(Dataset<? extends Example> d, int[] idx) {
        if (!pretrainedWeights) {
            return scorer.features(d, idx, null, 0);
        }
        if (visionId == null) {
            visionId = TowerIds.vision(o.pretrainedDir());
        }
        String key = FeatureCache.key(visionId, scorer.imageSize(), d, idx);
        if (key == null) {
            return scorer.features(d, idx, null, 0);
        }
        boolean[] hit = new boolean[1];
        float[][] f = featureCache.getOrCompute(key, () -> scorer.features(d, idx, null, 0), hit);
        featureHits += hit[0] ? 1 : 0;
        return f;
    }

    private static int[] labels(Dataset<? extends Example> d, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = d.label(idx[i]);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
