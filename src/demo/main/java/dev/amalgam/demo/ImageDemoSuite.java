package dev.amalgam.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.demo.image.ImageSuite;
import dev.amalgam.demo.image.ImageTask;
import dev.amalgam.demo.image.ImageZoo;
import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.report.Outcomes;
import dev.amalgam.tensor.TensorBridge;
import dev.amalgam.train.clip.ZeroShot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image half: a tiny CLIP pretrained here and its vision tower fine-tuned on 4 tasks
 * (docs/image-suite.md); every model is scored with the frozen pre-trained zero-shot heads, ID on
 * the test split, OOD on the task's natural shift and on the 7 corruptions (severity 3, averaged).
 */
public final class ImageDemoSuite implements EvaluationSuite, dev.amalgam.merge.data.MergeDataProvider {
    private final Path zoo;
    private final ImageSuite suite;
    private final NDManager manager = NDManager.newBaseManager();
    private final ClipModel model;
    private final List<String> tasks = new ArrayList<>();
    private final List<String> ood = new ArrayList<>();
    private final Map<String, List<ImageSet>> corruptions = new LinkedHashMap<>();

    public ImageDemoSuite(Path zooDir) {
        this(zooDir, ImageZoo.Options.standard().seed());
    }

    /**
     * The suite over the zoo built with {@code zooSeed} (data, pretraining and fine-tunes all drawn from
     * it): the standard seed's zoo lives in {@code <zooDir>/image}, another's in {@code <zooDir>/image-seed-N}.
     */
    public ImageDemoSuite(Path zooDir, long zooSeed) {
        zoo = zooDir.resolve(zooDirName(zooSeed));
        ImageZoo.build(zoo, ImageZoo.Options.standard().withSeed(zooSeed));
        suite = ImageSuite.open(zoo);
        model = (ClipModel) ModelRegistry.fromCheckpoint(ImageZoo.modelDir(zoo, ImageZoo.PRETRAINED), manager);
        for (ImageTask t : suite.tasks()) {
            tasks.add(t.id());
            ood.add(t.id() + "/" + t.naturalOod());
            ood.add(t.id() + "/corruptions");
            List<ImageSet> sets = new ArrayList<>();
            for (String c : dev.amalgam.eval.transforms.corruption.Corruptions.names()) {
                sets.add(suite.corrupted(t, c));
            }
            corruptions.put(t.id(), sets);
        }
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String title() {
        return "Amalgam demo — image suite (tiny CLIP pretrained locally, 4 tasks, ID vs OOD)";
    }

    @Override
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public List<String> oodColumns() {
        return ood;
    }

    @Override
    public Path pretrainedDir() {
        return ImageZoo.modelDir(zoo, ImageZoo.PRETRAINED);
    }

    @Override
    public Path taskModelDir(String task) {
        return ImageZoo.modelDir(zoo, task);
    }

    @Override
    public String pretrainedLabel() {
        return "Pre-trained (zero-shot)";
    }

    @Override
    public Scores pretrainedScores() {
        return scoresOf(pretrainedDir());
    }

    @Override
    public boolean hasMultiTaskModel() {
        return java.nio.file.Files.isDirectory(ImageZoo.modelDir(zoo, ImageZoo.MULTITASK));
    }

    /** The vision tower fine-tuned on all tasks at once, with the same frozen zero-shot heads. */
    @Override
    public java.util.Optional<Scores> multiTaskScores() {
        return java.util.Optional.of(scoresOf(ImageZoo.modelDir(zoo, ImageZoo.MULTITASK)));
    }

    /** Every task's scores of the model in {@code dir} (loaded into the evaluator first). */
    private Scores scoresOf(java.nio.file.Path dir) {
        try (dev.amalgam.io.Checkpoint c = dev.amalgam.io.Checkpoints.open(dir)) {
            setWeights(c);
        }
        List<Scores> parts = new ArrayList<>();
        for (String t : tasks) {
            parts.add(evaluate(t));
        }
        return Scores.combine(parts);
    }

    @Override
    public void setWeights(TensorSource weights) {
        try (NDManager m = manager.newSubManager()) {
            for (String name : model.parameterNames()) {
                if (weights.contains(name)) {
                    try (NDArray a = TensorBridge.toF32(m, weights, name)) {
                        model.setParameter(name, a);
                    }
                }
            }
        }
    }

    @Override
    public Scores evaluate(String taskId) {
        ImageTask task = ImageTask.byId(taskId);
        String testSet = taskId + "/test";
        Outcomes id = outcomes(task, "test");
        Outcomes natural = outcomes(task, task.naturalOod());
        // every corruption scores the clean test images: one fingerprint, per image the hits over the 7 corruptions
        List<Outcomes> corrupted = new ArrayList<>();
        for (ImageSet s : corruptions.get(taskId)) {
            corrupted.add(ImagePredictions.outcomes(model, suite.head(task), s, testSet));
        }
        Outcomes corrupt = Outcomes.sum(corrupted.toArray(Outcomes[]::new));
        String naturalColumn = taskId + "/" + task.naturalOod();
        String corruptColumn = taskId + "/corruptions";
        Map<String, Double> o = new LinkedHashMap<>();
        o.put(naturalColumn, natural.mean());
        o.put(corruptColumn, corrupt.mean());
        Map<String, Integer> oN = new LinkedHashMap<>();
        oN.put(naturalColumn, natural.size());
        // the mean over the corruptions of the same test images: n is the number of images (a conservative interval)
        oN.put(corruptColumn, corrupt.size());
        Map<String, Outcomes> outcomes = new LinkedHashMap<>();
        outcomes.put(taskId, id);
        outcomes.put(Scores.oodKey(naturalColumn), natural);
        outcomes.put(Scores.oodKey(corruptColumn), corrupt);
        return new Scores(Map.of(taskId, id.mean()), o, Map.of(taskId, id.size()), oN, outcomes);
    }

    /** Right or wrong per image of one split, scored with the task's frozen zero-shot head. */
    private Outcomes outcomes(ImageTask task, String split) {
        return ImagePredictions.outcomes(model, suite.head(task), suite.split(task, split), task.id() + "/" + split);
    }

    /** Zero-shot heads come from the frozen pre-trained text tower, so they never depend on the merged tasks. */
    @Override
    public Scores evaluateUnseen(String taskId) {
        ImageTask task = ImageTask.byId(taskId);
        Outcomes o = outcomes(task, "test");
        return new Scores(Map.of(taskId, o.mean()), Map.of(), Map.of(taskId, o.size()), Map.of(), Map.of(taskId, o));
    }

    /** Each task's {@code split} images with the frozen zero-shot heads, for the data-aware merges. */
    @Override
    public dev.amalgam.merge.data.MergeData mergeData(String split) {
        Map<String, dev.amalgam.merge.data.TaskExamples> examples = new LinkedHashMap<>();
        Map<String, dev.amalgam.model.heads.ZeroShotHead> heads = new LinkedHashMap<>();
        for (ImageTask t : suite.tasks()) {
            ImageSet s = suite.split(t, split);
            examples.put(t.id(), new dev.amalgam.merge.data.TaskExamples() {
                public int size() {
                    return s.size();
                }

                public ai.djl.ndarray.NDList batch(int from, int to, NDManager m) {
                    return new ai.djl.ndarray.NDList(s.pixels(from, to, m));
                }
            });
            heads.put(t.id(), suite.head(t));
        }
        return new dev.amalgam.merge.data.MergeData(dev.amalgam.merge.data.TaskHeadsModel.clip(model, heads), examples,
                "the demo image suite's " + split + " split");
    }

    @Override
    public void close() {
        suite.close();
        manager.close();
    }

    /** {@code image} for the standard seed, {@code image-seed-N} otherwise. */
    static String zooDirName(long zooSeed) {
        return zooSeed == ImageZoo.Options.standard().seed() ? "image" : "image-seed-" + zooSeed;
    }
}
