package dev.amalgam.examples;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.amalgam.api.Merge;
import dev.amalgam.serving.DjlServingExporter;
import dev.amalgam.serving.ExportRequest;

import java.nio.file.Path;
import java.util.List;

/**
 * Merges two fine-tuned text classifiers, exports the merge with one task's head as a DJL model directory
 * (what {@code amalgam export} writes for DJL Serving), and loads it back with DJL's own {@link Criteria}: the
 * block and translator factories are named in the directory's serving.properties, so no Amalgam class is named
 * here after the export.
 *
 * <p>Usage: {@code LoadWithCriteria PRETRAINED FINETUNE_A FINETUNE_B OUT TEXT...}; the head is FINETUNE_A's.
 */
public final class LoadWithCriteria {
    private LoadWithCriteria() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[3]);
        Path merged = out.resolve("merged");
        Merge.method("task_arithmetic").base(Path.of(args[0]))
                .finetune("a", Path.of(args[1])).finetune("b", Path.of(args[2]))
                .param("weight", 1.0).param("lambda", 0.5)
                .writeTo(merged);
        ExportRequest head = ExportRequest.defaults();
        head = new ExportRequest(head.kind(), head.task(), head.classes(), head.templates(), head.suiteDir(),
                Path.of(args[1]), head.amalgamJar(), false, head.maxNewTokens(), head.batchSize(), head.maxBatchDelay());
        Path served = out.resolve("served");
        DjlServingExporter.export(merged, served, head);

        Criteria<String, Classifications> criteria = Criteria.builder()
                .setTypes(String.class, Classifications.class)
                .optModelPath(served)
                .optEngine("PyTorch")
                .optTranslatorFactory(new dev.amalgam.serving.TextClassificationTranslatorFactory())
                .build();
        try (ZooModel<String, Classifications> model = criteria.loadModel();
             Predictor<String, Classifications> predictor = model.newPredictor()) {
            for (String text : List.of(args).subList(4, args.length)) {
                Classifications c = predictor.predict(text);
                System.out.printf("%-30s -> %s (%.3f)%n", text, c.best().getClassName(), c.best().getProbability());
            }
        }
    }
}
