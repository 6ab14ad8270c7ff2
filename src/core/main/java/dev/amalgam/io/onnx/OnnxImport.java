package dev.amalgam.io.onnx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.TensorSource;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of importing an ONNX model.
 *
 * @param tensors    weights under Hugging Face names (Linear weights in [out, in])
 * @param config     the inferred config.json, or null when the architecture is not recognised
 * @param tokenizer  {@code <stem>-tokenizer.json} or {@code tokenizer.json} next to the model, or null
 * @param dataFiles  the .onnx file and the external data files its exported tensors live in
 * @param unresolved weights still under exporter names ({@code onnx::*}), also listed in {@code warnings}
 * @param skipped    non-float initializers left out (buffers such as {@code embeddings.position_ids})
 * @param warnings   everything the import had to guess or could not do, one line each
 */
public record OnnxImport(TensorSource tensors, ObjectNode config, Path tokenizer, List<Path> dataFiles,
                         List<String> unresolved,
                         List<String> skipped, List<String> warnings) {
}
