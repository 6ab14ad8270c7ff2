package dev.amalgam.eval.run;

import dev.amalgam.train.TextExample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.LinearHead;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.bert.BertConfig;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertPooling;
import dev.amalgam.report.Outcomes;
import dev.amalgam.tensor.TensorBridge;
import dev.amalgam.train.LabeledBatch;
import dev.amalgam.train.TextTask;
import dev.amalgam.train.TokenizingCollator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates BERT-family backbones on the text suite: one encoder loaded once, whose weights are
 * rewritten in place for every model under test; each task is scored with its own linear head on
 * mean-pooled features, on the task's ID test split and its OOD split. Inputs are tokenised once.
 */
public final class TextSuiteEvaluator implements AutoCloseable {
    /** Splits tokenised up front: ID test, OOD, and train (for linear probes of the pre-trained encoder). */
    public static final List<String> SPLITS = List.of("test", "ood", "train");
    private static final int TRAIN_CAP = 600;
    private static final int BATCH = 64;

    private final NDManager manager = NDManager.newBaseManager();
    private final BertEncoder encoder;
    private final Map<String, Map<String, List<NDList>>> batches = new LinkedHashMap<>();
    private final Map<String, Map<String, int[]>> labels = new LinkedHashMap<>();

    /**
     * @param evalCap at most this many examples per split (the first ones; the files are already shuffled)
     */
    public TextSuiteEvaluator(Path pretrainedDir, Path dataDir, List<String> tasks, int maxLength, int evalCap) {
        this(pretrainedDir, dataDir, tasks, maxLength, evalCap, SPLITS);
    }

    /** As above, tokenising only {@code splits} (e.g. test and ood when no probe is fitted). */
    public TextSuiteEvaluator(Path pretrainedDir, Path dataDir, List<String> tasks, int maxLength, int evalCap,
                              List<String> splits) {
        BertConfig config = BertConfig.read(pretrainedDir.resolve("config.json"));
        try (Checkpoint weights = Checkpoints.open(pretrainedDir);
             TokenizingCollator collator = TokenizingCollator.open(pretrainedDir.resolve("tokenizer.json"), maxLength)) {
            encoder = BertEncoder.load(config, weights, manager);
            for (String task : tasks) {
                Map<String, List<NDList>> perSplit = new LinkedHashMap<>();
                Map<String, int[]> perLabels = new LinkedHashMap<>();
                for (String split : splits) {
                    List<TextExample> ex = TextTask.readJsonl(dataDir.resolve(task).resolve(split + ".jsonl"));
                    ex = ex.subList(0, Math.min(split.equals("train") ? TRAIN_CAP : evalCap, ex.size()));
                    List<NDList> b = new ArrayList<>();
                    int[] y = new int[ex.size()];
                    for (int i = 0; i < ex.size(); i += BATCH) {
                        LabeledBatch lb = collator.collate(manager, ex.subList(i, Math.min(ex.size(), i + BATCH)));
                        b.add(lb.inputs());
                        lb.labels().close();
                    }
                    for (int i = 0; i < y.length; i++) {
                        y[i] = ex.get(i).label();
                    }
                    perSplit.put(split, b);
                    perLabels.put(split, y);
                }
                batches.put(task, perSplit);
                labels.put(task, perLabels);
            }
        }
    }

    public BertEncoder encoder() {
        return encoder;
    }

    /** Copies every backbone tensor of {@code weights} into the encoder (names without a bert. prefix). */
    public void setWeights(TensorSource weights) {
        try (NDManager m = manager.newSubManager()) {
            for (String name : encoder.parameterNames()) {
                String src = weights.contains(name) ? name : "bert." + name;
                if (!weights.contains(src)) {
                    throw new AmalgamException(weights.describe() + ": no tensor '" + name + "' for the encoder");
                }
                try (NDArray a = TensorBridge.toF32(m, weights, src)) {
                    encoder.setParameter(name, a);
                }
            }
        }
    }

    /** Mean-pooled sentence features of one split, [n][hidden]. */
    public float[][] features(String task, String split) {
        return features(task, split, "mean");
    }

    /**
     * Sentence features of one split, [n][hidden]: {@code mean} over unpadded tokens, {@code cls} (the
     * [CLS] hidden state) or {@code pooler} (BERT's tanh pooler over [CLS], as BertForSequenceClassification).
     */
    public float[][] features(String task, String split, String pooling) {
        if (pooling.equals("pooler") && !encoder.hasPooler()) {
            throw new AmalgamException("the encoder has no pooler (pooler.dense.*) for a pooler head");
        }
        List<float[]> rows = new ArrayList<>();
        int hidden = encoder.config().hiddenSize();
        List<NDList> todo = batches.get(task).get(split);
        try (dev.amalgam.report.Progress progress = dev.amalgam.report.Progress.start("eval " + task + "/" + split, todo.size())) {
            for (NDList in : todo) {
                features(in, hidden, pooling, rows);
                progress.step();
            }
        }
        return rows.toArray(new float[0][]);
    }

    private void features(NDList in, int hidden, String pooling, List<float[]> rows) {
        try (NDManager m = manager.newSubManager()) {
            in.tempAttach(m); // intermediates land on m and are freed with it; the inputs go back
            NDList out = encoder.forward(in.get(0), in.get(1), in.get(2));
            NDArray pooled = switch (pooling) {
                case "mean" -> BertPooling.mean(out.get(0), in.get(1));
                case "cls" -> BertPooling.cls(out.get(0));
                case "pooler" -> out.get(1);
                default -> throw new AmalgamException("unknown pooling '" + pooling + "' (mean, cls, pooler)");
            };
            float[] flat = pooled.toFloatArray();
            for (int i = 0; i < flat.length / hidden; i++) {
                float[] r = new float[hidden];
                System.arraycopy(flat, i * hidden, r, 0, hidden);
                rows.add(r);
            }
        }
    }

    public int[] labels(String task, String split) {
        return labels.get(task).get(split);
    }

    /** Accuracy of {@code head} on the current weights. */
    public double accuracy(String task, String split, LinearHead head) {
        return outcomes(task, split, head).mean();
    }

    /** Per example, whether {@code head} on the current weights is right; the split fingerprinted by task, split and labels. */
    public Outcomes outcomes(String task, String split, LinearHead head) {
        float[][] f = features(task, split);
        int[] pred = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            pred[i] = argmax(head.logits(f[i]));
        }
        int[] y = labels(task, split);
        return Outcomes.of(pred, y, Outcomes.fingerprint(task + "/" + split, y));
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        manager.close();
    }
}
