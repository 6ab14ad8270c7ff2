package dev.amalgam.demo.image;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.io.Json;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.train.clip.ZeroShot;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracies recorded in the manifest: the pretrained model zero-shot on every task's test and OOD
 * sets; each fine-tuned model on its own task's test and OOD sets and on the other tasks' test sets;
 * the multi-task model on every task's test and OOD sets.
 * Every model is scored with the pretrained text tower's zero-shot heads.
 */
final class ZooEvaluation {
    private ZooEvaluation() {
    }

    static ObjectNode run(ImageSuite suite, Path zoo, NDManager m) {
        Map<ImageTask, Map<String, ImageSet>> sets = new LinkedHashMap<>();
        for (ImageTask t : ImageTask.values()) {
            Map<String, ImageSet> s = new LinkedHashMap<>();
            s.put("test", suite.test(t));
            s.putAll(suite.oodSets(t));
            sets.put(t, s);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode pre = out.putObject(ImageZoo.PRETRAINED);
        for (ImageTask t : ImageTask.values()) {
            score(suite.pretrained(), suite.head(t), sets.get(t), pre.putObject(t.id()), true);
        }
        for (ImageTask own : ImageTask.values()) {
            ObjectNode node = out.putObject(own.id());
            try (ClipModel model = (ClipModel) ModelRegistry.fromCheckpoint(ImageZoo.modelDir(zoo, own.id()), m)) {
                for (ImageTask t : ImageTask.values()) {
                    score(model, suite.head(t), sets.get(t), node.putObject(t.id()), t == own);
                }
            }
        }
        ObjectNode multi = out.putObject(ImageZoo.MULTITASK);
        try (ClipModel model = (ClipModel) ModelRegistry.fromCheckpoint(ImageZoo.modelDir(zoo, ImageZoo.MULTITASK), m)) {
            for (ImageTask t : ImageTask.values()) {
                score(model, suite.head(t), sets.get(t), multi.putObject(t.id()), true);
            }
        }
        return out;
    }

    private static void score(ClipModel model, ZeroShotHead head, Map<String, ImageSet> sets, ObjectNode into,
                              boolean withOod) {
        double corruptSum = 0;
        int corruptN = 0;
        for (Map.Entry<String, ImageSet> e : sets.entrySet()) {
            boolean test = e.getKey().equals("test");
            if (!test && !withOod) {
                continue;
            }
            ImageSet s = e.getValue();
            double acc = ZeroShot.accuracy(model, head, s.nchw(), s.labels(), s.side());
            into.put(e.getKey(), Math.round(acc * 10000) / 10000.0);
            if (dev.amalgam.eval.transforms.corruption.Corruptions.names().contains(e.getKey())) {
                corruptSum += acc;
                corruptN++;
            }
        }
        if (corruptN > 0) {
            into.put("corruptions_mean", Math.round(corruptSum / corruptN * 10000) / 10000.0);
        }
    }
}
