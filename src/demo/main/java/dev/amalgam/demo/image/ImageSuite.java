package dev.amalgam.demo.image;

import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.eval.datasets.synthetic.Pixels;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.transforms.corruption.Corruptions;
import dev.amalgam.io.Json;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.train.clip.ZeroShot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image suite over a built zoo directory: per task its class names, templates, ID test set and
 * OOD sets (the natural shift plus the seven corruptions at {@link #SEVERITY}), all as CLIP-normalised
 * NCHW batches, and zero-shot heads from a (pretrained) model's text tower.
 *
 * <pre>{@code
 * try (ImageSuite suite = ImageSuite.open(zoo)) {
 *     double acc = suite.evaluate(mergedModel, ImageTask.FASHION, "test");
 * }
 * }</pre>
 */
public final class ImageSuite implements AutoCloseable {
    public static final int SEVERITY = 3;
    /** Seed of the corruptions' per-image generators. */
    public static final long CORRUPTION_SEED = 2024;

    private final Path zoo;
    private final WordTokenizer tokenizer;
    private final Map<String, ZeroShotHead> heads = new LinkedHashMap<>();
    private NDManager manager;
    private ClipModel pretrained;

    private ImageSuite(Path zoo, WordTokenizer tokenizer) {
        this.zoo = zoo;
        this.tokenizer = tokenizer;
    }

    public static ImageSuite open(Path zooDir) {
        Path tok = ImageZoo.modelDir(zooDir, ImageZoo.PRETRAINED).resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new AmalgamException(tok + ": not found (build the zoo first: ImageZoo.build)");
        }
        return new ImageSuite(zooDir, WordTokenizer.fromJson(Json.readFile(tok), tok.toString()));
    }

    public List<ImageTask> tasks() {
        return List.of(ImageTask.values());
    }

    public WordTokenizer tokenizer() {
        return tokenizer;
    }

    /** The raw cached split (grayscale bytes). */
    public GrayImages gray(ImageTask task, String split) {
        Path f = ImageZoo.dataFile(zoo, task, split);
        if (!Files.isRegularFile(f)) {
            throw new AmalgamException(f + ": not found (task " + task.id() + " has splits " + TaskData.splitNames(task)
                    + "; build the zoo first)");
        }
        return GrayImages.read(f);
    }

    /** A split by name: train, val, test, the natural OOD split, or a corruption name (of the test split). */
    public ImageSet split(ImageTask task, String split) {
        if (Corruptions.names().contains(split)) {
            return corrupted(task, split);
        }
        GrayImages g = gray(task, split);
        return new ImageSet(task.id() + "/" + split, g.side(), Pixels.nchw(g, 0, g.count()), g.labels());
    }

    public ImageSet test(ImageTask task) {
        return split(task, "test");
    }

    /** The natural shift first, then the seven corruptions of the test split. */
    public Map<String, ImageSet> oodSets(ImageTask task) {
        Map<String, ImageSet> out = new LinkedHashMap<>();
        out.put(task.naturalOod(), split(task, task.naturalOod()));
        for (String c : Corruptions.names()) {
            out.put(c, corrupted(task, c));
        }
        return out;
    }

    public static List<String> oodNames(ImageTask task) {
        List<String> n = new ArrayList<>();
        n.add(task.naturalOod());
        n.addAll(Corruptions.names());
        return n;
    }

    /** The test split with one corruption at severity 3 (grayscale repeated to RGB first). */
    public ImageSet corrupted(ImageTask task, String corruption) {
        GrayImages g = gray(task, "test");
        int per = 3 * g.side() * g.side();
        float[] out = new float[g.count() * per];
        for (int i = 0; i < g.count(); i++) {
            RgbImage im = Corruptions.apply(corruption, Pixels.toRgb(g, i), SEVERITY, CORRUPTION_SEED, i);
            Pixels.normalise(im, out, i * per);
        }
        return new ImageSet(task.id() + "/" + corruption, g.side(), out, g.labels());
    }

    /** The zero-shot head of {@code task} from {@code textModel}'s text tower (frozen, as in the paper recipe). */
    public ZeroShotHead head(ClipModel textModel, ImageTask task) {
        return ZeroShot.head(textModel, tokenizer, task.classNames(), task.templates());
    }

    /** The task's head from the zoo's pretrained text tower (cached). */
    public ZeroShotHead head(ImageTask task) {
        return heads.computeIfAbsent(task.id(), k -> head(pretrained(), task));
    }

    /** Top-1 accuracy of {@code visionWeights}' image tower with the pretrained zero-shot head. */
    public double evaluate(ClipModel visionWeights, ImageTask task, String split) {
        ImageSet s = split(task, split);
        return ZeroShot.accuracy(visionWeights, head(task), s.nchw(), s.labels(), s.side());
    }

    /** The zoo's pretrained model (loaded on first use, closed with the suite). */
    public ClipModel pretrained() {
        if (pretrained == null) {
            manager = NDManager.newBaseManager();
            pretrained = (ClipModel) ModelRegistry.fromCheckpoint(ImageZoo.modelDir(zoo, ImageZoo.PRETRAINED), manager);
        }
        return pretrained;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
