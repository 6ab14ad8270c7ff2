package dev.amalgam.model.bert;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.TensorSource;

import java.nio.file.Path;

/**
 * What it takes to run a BERT encoder from disk: weights, config and tokenizer.
 *
 * @param weights   tensors under BertModel names (a {@code bert.} prefix is accepted)
 * @param config    the encoder configuration
 * @param tokenizer the tokenizer.json
 */
public record BertModelFiles(TensorSource weights, BertConfig config, Path tokenizer) implements AutoCloseable {

    /** Opens anything {@link Checkpoints#open} accepts (HF directory, safetensors, .onnx export). */
    public static BertModelFiles open(Path path) {
        Checkpoint c = Checkpoints.open(path);
        try {
            if (c.config() == null) {
                throw new AmalgamException(path + ": no config.json");
            }
            Path tokenizer = c.auxFiles().stream().filter(p -> p.getFileName().toString().equals("tokenizer.json"))
                    .findFirst().orElseThrow(() -> new AmalgamException(path + ": no tokenizer.json"));
            return new BertModelFiles(c, BertConfig.fromJson(c.config(), path.toString()), tokenizer);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
