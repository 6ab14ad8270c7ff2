package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.transforms.corruption.Corruptions;
import dev.amalgam.model.MapWeights;
import dev.amalgam.model.clip.ClipCheckpoints;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.registry.ModelRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Test fixtures for CLIP task suites: a tiny random-weight CLIP (28×28 images, so CLIP preprocessing
 * is only the mean/std normalisation), a two-task catalog ("mnist" with 3 classes, "eurosat" with 4),
 * image-folder data whose labels are chosen from an independent reference prediction, and that
 * reference: plain-Java normalisation, the model's towers, a word-level tokenizer encoded directly,
 * and the zero-shot head computed in doubles.
 */
final class TinyClipTasks {
    static final Map<String, List<String>> CLASSES = Map.of(
            "mnist", List.of("zero", "one", "two"),
            "eurosat", List.of("forest", "river", "highway", "pasture"));
    static final Map<String, List<String>> TEMPLATES = Map.of(
            "mnist", List.of("a photo of the number {}", "a digit {}"),
            "eurosat", List.of("a satellite photo of {}", "a centered satellite photo of a {}", "{} from above"));
    static final List<String> TASKS = List.of("mnist", "eurosat");
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private TinyClipTasks() {
    }

    static TinyClip shape(int vocab) {
        return new TinyClip(28, 7, 32, 2, 32, 1, 2, 16, WordTokenizer.MAX_LENGTH, vocab);
    }

    static WordTokenizer tokenizer() {
        List<String> texts = new ArrayList<>();
        for (String t : TASKS) {
            for (String c : CLASSES.get(t)) {
                for (String tpl : TEMPLATES.get(t)) {
                    texts.add(fill(tpl, c));
                }
            }
        }
        texts.add("changed template words");
        return WordTokenizer.fromTexts(texts);
    }

    static String fill(String template, String cls) {
        return template.replace("{}", cls);
    }

    /**
     * A full CLIP checkpoint (both towers) with weights drawn from {@code seed}. The vision tower's
     * position embeddings and attention/MLP weights are scaled up so that, unlike a freshly initialised
     * CLIP (whose LayerNorms make it nearly blind to contrast and noise), corruptions change predictions.
     */
    static Path clip(Path dir, long seed) {
        WordTokenizer tok = tokenizer();
        TinyClip s = shape(tok.vocabSize());
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = new java.util.LinkedHashMap<>(s.initialWeights(seed, m));
            for (Map.Entry<String, NDArray> e : w.entrySet()) {
                String k = e.getKey();
                double f = k.equals("vision_model.embeddings.position_embedding.weight") ? 50
                        : k.startsWith("vision_model.encoder.") && k.endsWith(".weight") && !k.contains("layer_norm") ? 16
                        : 1;
                if (f != 1) {
                    e.setValue(e.getValue().mul(f));
                }
            }
            try (ClipModel model = ClipModel.load(s.hfConfig(), new MapWeights(w, "test CLIP"), m)) {
                ClipCheckpoints.save(model, s.configJson(), tok, dir, Map.of("format", "pt"));
            }
        }
        return dir;
    }

    /** Writes {@code <dir>/mini.yaml} and {@code <dir>/tasks/<task>.yaml}; {@code eurosatTemplates} may differ. */
    static Path catalog(Path dir, List<String> eurosatTemplates) {
        try {
            Files.createDirectories(dir.resolve("tasks"));
            Files.writeString(dir.resolve("mini.yaml"), "name: mini\ntasks: [mnist, eurosat]\n");
            for (String t : TASKS) {
                List<String> templates = t.equals("eurosat") ? eurosatTemplates : TEMPLATES.get(t);
                StringBuilder y = new StringBuilder("name: " + t + "\nsource: test\nnum_classes: "
                        + CLASSES.get(t).size() + "\ntemplates:\n");
                templates.forEach(x -> y.append("  - \"").append(x).append("\"\n"));
                y.append("classes:\n");
                CLASSES.get(t).forEach(x -> y.append("  - \"").append(x).append("\"\n"));
                Files.writeString(dir.resolve("tasks").resolve(t + ".yaml"), y.toString());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 28×28 image with a random base colour, a random stripe pattern and noise. */
    static RgbImage randomImage(Random r) {
        RgbImage im = RgbImage.blank(28, 28);
        int[] base = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        int period = 2 + r.nextInt(8);
        boolean vertical = r.nextBoolean();
        int amp = r.nextInt(120);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int stripe = ((vertical ? x : y) / period) % 2 == 0 ? amp : -amp;
                for (int c = 0; c < 3; c++) {
                    int v = base[c] + stripe + (int) (r.nextGaussian() * 20);
                    im.set(x, y, c, Math.max(0, Math.min(255, v)));
                }
            }
        }
        return im;
    }

    /** The reference classifier: a vision model and the zero-shot class vectors of a text model. */
    static final class Reference implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final ClipModel vision;
        final Map<String, double[][]> heads = new java.util.HashMap<>();

        Reference(Path visionDir, Path textDir) {
            vision = (ClipModel) ModelRegistry.fromCheckpoint(visionDir, manager);
            WordTokenizer tok = tokenizer();
            try (ClipModel text = (ClipModel) ModelRegistry.fromCheckpoint(textDir, manager)) {
                for (String t : TASKS) {
                    heads.put(t, head(text, tok, CLASSES.get(t), TEMPLATES.get(t)));
                }
            }
        }

        /** Per class: mean of unit template embeddings, renormalised (doubles). */
        static double[][] head(ClipModel text, WordTokenizer tok, List<String> classes, List<String> templates) {
            double[][] out = new double[classes.size()][];
            try (NDManager m = text.manager().newSubManager()) {
                for (int c = 0; c < classes.size(); c++) {
                    double[] mean = null;
                    for (String tpl : templates) {
                        long[] ids = tok.encode(fill(tpl, classes.get(c)));
                        long[] mask = WordTokenizer.mask(ids);
                        Shape s = new Shape(1, ids.length);
                        double[] e = unit(text.textFeatures(m.create(ids, s), m.create(mask, s)).toFloatArray());
                        if (mean == null) {
                            mean = new double[e.length];
                        }
                        for (int d = 0; d < e.length; d++) {
                            mean[d] += e[d] / templates.size();
                        }
                    }
                    out[c] = unit(mean);
                }
            }
            return out;
        }

        static double[] unit(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return unit(d);
        }

        static double[] unit(double[] v) {
            double n = 0;
            for (double x : v) {
                n += x * x;
            }
            n = Math.sqrt(n);
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] / n;
            }
            return out;
        }

        /** [predicted class, margin to the runner-up (cosine)] of one image. */
        double[] predict(String task, RgbImage im) {
            return predictAll(task, List.of(im))[0];
        }

        /** [predicted class, margin to the runner-up (cosine)] per image, in one forward pass. */
        double[][] predictAll(String task, List<RgbImage> images) {
            int per = 3 * 28 * 28;
            float[] px = new float[images.size() * per];
            for (int i = 0; i < images.size(); i++) {
                RgbImage im = images.get(i);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            px[i * per + c * 784 + y * 28 + x] = (float) ((im.get(x, y, c) / 255.0 - MEAN[c]) / STD[c]);
                        }
                    }
                }
            }
            float[] all;
            try (NDManager m = manager.newSubManager()) {
                all = vision.imageFeatures(m.create(px, new Shape(images.size(), 3, 28, 28))).toFloatArray();
            }
            int dim = all.length / images.size();
            double[][] w = heads.get(task);
            double[][] out = new double[images.size()][];
            for (int i = 0; i < images.size(); i++) {
                double[] f = unit(java.util.Arrays.copyOfRange(all, i * dim, (i + 1) * dim));
                int best = 0;
                double[] cos = new double[w.length];
                for (int c = 0; c < w.length; c++) {
                    for (int d = 0; d < f.length; d++) {
                        cos[c] += w[c][d] * f[d];
                    }
                    if (cos[c] > cos[best]) {
                        best = c;
                    }
                }
                double second = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < w.length; c++) {
                    if (c != best) {
                        second = Math.max(second, cos[c]);
                    }
                }
                out[i] = new double[] {best, cos[best] - second};
            }
            return out;
        }

        /**
         * [accuracy, near-ties / n] of the reference on {@code images} under a corruption (null: clean)
         * whose seed index of image i is {@code seedIndex[i]}; a near-tie is a top-2 cosine margin < 1e-5.
         */
        double[] accuracy(String task, List<RgbImage> images, int[] labels, String corruption, int severity,
                          int[] seedIndex) {
            List<RgbImage> in = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                in.add(corruption == null ? images.get(i)
                        : Corruptions.apply(corruption, images.get(i), severity, 0, seedIndex[i]));
            }
            double[][] p = predictAll(task, in);
            int ok = 0;
            int ties = 0;
            for (int i = 0; i < p.length; i++) {
                ok += (int) p[i][0] == labels[i] ? 1 : 0;
                ties += p[i][1] < 1e-5 ? 1 : 0;
            }
            return new double[] {(double) ok / images.size(), (double) ties / images.size()};
        }

        @Override
        public void close() {
            vision.close();
            manager.close();
        }
    }

    /** A split written as an image folder: images in dataset order (class-major, file name order) and labels. */
    record Split(List<RgbImage> images, int[] labels) {
    }

    /**
     * Writes {@code n} random images into {@code <root>/<task>/<split>/<i>_<class>/}: each goes to the
     * class the reference predicts, except every {@code wrongEvery}-th, which goes to the next class.
     * Returns the split in the reader's order (class directories by number, then file names).
     */
    static Split writeSplit(Path root, String task, String split, int n, int wrongEvery, long seed, Reference ref) {
        List<String> classes = CLASSES.get(task);
        List<List<RgbImage>> byClass = new ArrayList<>();
        classes.forEach(c -> byClass.add(new ArrayList<>()));
        Random r = new Random(seed);
        List<RgbImage> drawn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drawn.add(randomImage(r));
        }
        double[][] p = ref.predictAll(task, drawn);
        for (int i = 0; i < n; i++) {
            RgbImage im = drawn.get(i);
            int pred = (int) p[i][0];
            int label = i % wrongEvery == wrongEvery - 1 ? (pred + 1) % classes.size() : pred;
            byClass.get(label).add(im);
        }
        List<RgbImage> ordered = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try {
            for (int c = 0; c < classes.size(); c++) {
                Path dir = root.resolve(task).resolve(split).resolve(c + "_" + classes.get(c));
                Files.createDirectories(dir);
                for (int k = 0; k < byClass.get(c).size(); k++) {
                    ImageIO.write(byClass.get(c).get(k).toBufferedImage(), "png",
                            dir.resolve(String.format("img_%03d.png", k)).toFile());
                    ordered.add(byClass.get(c).get(k));
                    labels.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Split(ordered, labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
