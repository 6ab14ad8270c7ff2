package dev.amalgam.io.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX export opened as a {@link Checkpoint} (format "onnx"): weights under Hugging Face names,
 * config.json (a real one next to the model if present, else inferred), and side files (tokenizer)
 * from the model's directory, or its parent for the {@code repo/onnx/model.onnx} layout.
 */
public final class OnnxCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxCheckpoints.class);

    private OnnxCheckpoints() {
    }

    public static Checkpoint open(Path onnxFile) {
        OnnxImport imp = OnnxImporter.open(onnxFile);
        for (String w : imp.warnings()) {
            LOG.warn("{}: {}", onnxFile, w);
        }
        ObjectNode config = config(onnxFile, imp);
        List<Path> aux = new ArrayList<>();
        if (imp.tokenizer() != null) {
            aux.add(asTokenizerJson(imp.tokenizer()));
        }
        for (Path dir : OnnxImporter.sideFileDirs(onnxFile)) {
            for (String n : Checkpoints.AUX_FILES) {
                Path p = dir.resolve(n);
                if (!n.equals("tokenizer.json") && Files.isRegularFile(p)
                        && aux.stream().noneMatch(a -> a.getFileName().toString().equals(n))) {
                    aux.add(p);
                }
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source_format", "onnx");
        return new Checkpoint(onnxFile, "onnx", imp.tensors(), config, aux,
                Map.of(onnxFile.getFileName().toString(), imp.tensors().names()), metadata,
                imp.dataFiles());
    }

    /** config.json next to the model wins (checked against the graph); otherwise the inferred one. */
    private static ObjectNode config(Path onnxFile, OnnxImport imp) {
        for (Path dir : OnnxImporter.sideFileDirs(onnxFile)) {
            Path cfg = dir.resolve("config.json");
            if (Files.isRegularFile(cfg)) {
                JsonNode n = Json.readFile(cfg);
                if (!n.isObject()) {
                    throw new AmalgamException(cfg + ": not a JSON object");
                }
                if (imp.config() != null) {
                    for (String k : new String[] {"hidden_size", "num_hidden_layers", "num_attention_heads",
                            "intermediate_size", "vocab_size"}) {
                        if (n.has(k) && n.get(k).asInt() != imp.config().get(k).asInt()) {
                            LOG.warn("{}: {} says {} = {}, the ONNX graph says {}", onnxFile, cfg, k, n.get(k),
                                    imp.config().get(k));
                        }
                    }
                }
                return (ObjectNode) n;
            }
        }
        return imp.config();
    }

    /** Writers copy side files under their own name, so {@code <stem>-tokenizer.json} goes via a temp copy. */
    private static Path asTokenizerJson(Path tokenizer) {
        if (tokenizer.getFileName().toString().equals("tokenizer.json")) {
            return tokenizer;
        }
        try {
            Path dir = Files.createTempDirectory("amalgam-onnx-tokenizer");
            dev.amalgam.io.PartialOutputs.scratch(dir); // removed when the JVM exits, as a tree
            return Files.copy(tokenizer, dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            throw new AmalgamException(tokenizer + ": cannot stage tokenizer (" + e.getMessage() + ")", e);
        }
    }
}
