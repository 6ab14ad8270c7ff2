package dev.amalgam.merge.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.clip.ClipZeroShot;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.model.HfCausalLmBlock;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertModelFiles;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.train.FineTunedHead;
import dev.amalgam.train.TokenizingCollator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the per-model {@code data:} blocks that {@link TaskDataFiles} checked: reads each task's
 * examples (shuffled with its seed, cut to its limit), and builds the forward pass from the base
 * model's architecture — CLIP's image tower, a BERT encoder with each fine-tune's head (when it has
 * one), or a decoder LM with its own next-token head.
 */
final class TaskDataOpener {
    private TaskDataOpener() {
    }

    @SuppressWarnings("unchecked")
    static MergeData open(Map<?, ?> spec) {
        Map<String, Map<String, Object>> tasks = (Map<String, Map<String, Object>>) spec.get("tasks");
        Map<String, String> models = (Map<String, String>) spec.get("models");
        Path base = Path.of(String.valueOf(spec.get("base")));
        String type = String.valueOf(spec.get("model_type"));
        String where = String.valueOf(spec.get("where"));
        NDManager manager = NDManager.newBaseManager();
        List<AutoCloseable> owned = new ArrayList<>();
        owned.add(manager);
        AutoCloseable owner = () -> {
            for (AutoCloseable c : owned) {
                c.close();
            }
        };
        try {
            Map<String, TaskExamples> examples = new LinkedHashMap<>();
            DataModel model;
            if (type.equals("clip")) {
                ClipModel clip = clip(base, manager, where);
                ClipPreprocess pre = new ClipPreprocess(clip.config().imageSize());
                Map<String, ZeroShotHead> heads = new LinkedHashMap<>();
                tasks.forEach((t, b) -> {
                    examples.put(t, new ImageFolderExamples(
                            Sampling.pick(ImageFolderExamples.list(path(b), key(b)), limit(b), seed(b)), pre));
                    if (b.get("head") instanceof Map<?, ?> h) {
                        heads.put(t, ClipZeroShot.build(clip, tokenizerDir(base, where),
                                (List<String>) h.get("classes"), (List<String>) h.get("templates")));
                    }
                });
                model = TaskHeadsModel.clip(clip, heads);
            } else if (TaskDataFiles.DECODERS.contains(type)) {
                HfModelBlock block = ModelRegistry.fromCheckpoint(base, manager);
                if (!(block instanceof HfCausalLmBlock lm)) {
                    throw new AmalgamException(where + ": base_model: " + base + " is not a decoder LM");
                }
                HuggingFaceTokenizer tok = Tokenizers.causalLm(tokenizerDir(base, where));
                owned.add(0, tok);
                tasks.forEach((t, b) -> examples.put(t, new DecoderTextExamples(texts(b), tok,
                        (int) Math.min(maxLength(b), lm.maxSequenceLength()))));
                model = new CausalLmDataModel(lm);
            } else {
                Map<String, FineTunedHead> heads = new LinkedHashMap<>();
                BertEncoder encoder;
                try (BertModelFiles files = BertModelFiles.open(base)) {
                    encoder = BertEncoder.load(files.config(), files.weights(), manager);
                }
                Map<Integer, TokenizingCollator> collators = new LinkedHashMap<>();
                for (Map.Entry<String, Map<String, Object>> e : tasks.entrySet()) {
                    Map<String, Object> b = e.getValue();
                    TokenizingCollator c = collators.computeIfAbsent(maxLength(b), n -> {
                        TokenizingCollator opened = TokenizingCollator.open(tokenizerDir(base, where).resolve("tokenizer.json"), n);
                        owned.add(0, opened);
                        return opened;
                    });
                    examples.put(e.getKey(), new EncoderTextExamples(texts(b), c));
                    Path dir = Path.of(models.get(e.getKey()));
                    if (Files.isRegularFile(dir.resolve(dev.amalgam.train.CheckpointSaver.HEAD_JSON))) {
                        heads.put(e.getKey(), FineTunedHead.read(dir));
                    }
                }
                model = TaskHeadsModel.bert(encoder, heads);
            }
            return new MergeData(model, examples, "the recipe's per-model data (" + where + ")", owner);
        } catch (RuntimeException e) {
            try {
                owner.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static ClipModel clip(Path base, NDManager manager, String where) {
        HfModelBlock block = ModelRegistry.fromCheckpoint(base, manager);
        if (!(block instanceof ClipModel clip)) {
            throw new AmalgamException(where + ": base_model: " + base + " is not a CLIP model");
        }
        return clip;
    }

    private static Path tokenizerDir(Path base, String where) {
        Path dir = TaskDataFiles.modelDir(base);
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new AmalgamException(where + ": base_model: " + dir.resolve("tokenizer.json")
                    + " not found (text data is tokenised with the base model's tokenizer)");
        }
        return dir;
    }

    private static List<String> texts(Map<String, Object> b) {
        return Sampling.pick(TextExampleFile.read(path(b), String.valueOf(b.get("kind")).equals("jsonl"),
                String.valueOf(b.get("field")), key(b)), limit(b), seed(b));
    }

    private static Path path(Map<String, Object> b) {
        return Path.of(String.valueOf(b.get("path")));
    }

    private static String key(Map<String, Object> b) {
        return String.valueOf(b.get("key"));
    }

    private static int limit(Map<String, Object> b) {
        return ((Number) b.get("limit")).intValue();
    }

    private static long seed(Map<String, Object> b) {
        return ((Number) b.get("seed")).longValue();
    }

    private static int maxLength(Map<String, Object> b) {
        return ((Number) b.get("max_length")).intValue();
    }
}
