package dev.amalgam.model.bert;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.TensorSource;
import dev.amalgam.io.onnx.OnnxImport;
import dev.amalgam.io.onnx.OnnxImporter;

import java.nio.file.Path;

/**
 * What it takes to run a BERT encoder from disk: weights, config and tokenizer.
 *
 * @param weights   tensors under BertModel names (a {@code bert.} prefix is accepted)
 * @param config    the encoder configuration
 * @param tokenizer the tokenizer.json
 */
public record BertModelFiles(TensorSource weights, BertConfig config, Path tokenizer) implements AutoCloseable {

    /** Opens an ONNX export of a BertModel (weights imported under Hugging Face names). */
    public static BertModelFiles open(Path path) {
        OnnxImport imp = OnnxImporter.open(path);
        if (imp.config() == null) {
            throw new AmalgamException(path + ": not a BERT encoder");
        }
        if (imp.tokenizer() == null) {
            throw new AmalgamException(path + ": no tokenizer.json next to the model");
        }
        return new BertModelFiles(imp.tensors(), BertConfig.fromJson(imp.config(), path.toString()), imp.tokenizer());
    }

    @Override
    public void close() {
        weights.close();
    }
}
