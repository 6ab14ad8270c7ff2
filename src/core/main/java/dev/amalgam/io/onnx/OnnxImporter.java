package dev.amalgam.io.onnx;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports the weights of an ONNX model (e.g. a Hugging Face encoder exported by PyTorch) under their
 * Hugging Face names, with an inferred config.json where the architecture is recognised.
 */
public final class OnnxImporter {
    private OnnxImporter() {
    }

    public static OnnxImport open(Path file) {
        OnnxModel model = OnnxModelReader.read(file);
        List<String> warnings = new ArrayList<>();
        Map<String, LinearWeightNames.Recovered> recovered = LinearWeightNames.recover(model, warnings);
        Map<String, OnnxTensorSource.Entry> entries = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, OnnxTensor> all = new LinkedHashMap<>(model.initializers);
        model.constants.forEach(all::putIfAbsent);
        for (OnnxTensor t : all.values()) {
            boolean isConstantNode = !model.initializers.containsKey(t.name());
            LinearWeightNames.Recovered r = recovered.get(t.name());
            if (r != null) {
                entries.put(r.name(), OnnxTensorSource.entry(r.name(), t, r.transpose(), file));
            } else if (!t.isFloat()) {
                if (!isConstantNode) {
                    skipped.add(t.name());
                }
            } else if (isConstantNode || LinearWeightNames.isExporterName(t.name())) {
                if (t.numel() >= 2) { // scalars are graph constants (eps, scales), not weights
                    unresolved.add(t.name());
                    entries.put(t.name(), OnnxTensorSource.entry(t.name(), t, false, file));
                }
            } else {
                entries.put(t.name(), OnnxTensorSource.entry(t.name(), t, false, file));
            }
        }
        if (!unresolved.isEmpty()) {
            warnings.add(unresolved.size() + " weight(s) keep their exporter names (no Hugging Face name found): "
                    + String.join(", ", unresolved));
        }
        OnnxTensorSource source = new OnnxTensorSource(file, entries);
        ObjectNode config = null;
        if (BertConfigInference.isBert(source)) {
            config = BertConfigInference.infer(model, source, warnings);
        } else {
            warnings.add("architecture not recognised (only BertModel is); no config.json inferred");
        }
        return new OnnxImport(source, config, findTokenizer(file), dataFiles(file, entries), List.copyOf(unresolved),
                List.copyOf(skipped), List.copyOf(warnings));
    }

    /** {@code <stem>-tokenizer.json} next to the model, else {@code tokenizer.json} in {@link #sideFileDirs}. */
    static Path findTokenizer(Path onnx) {
        String fileName = onnx.getFileName().toString();
        String stem = fileName.endsWith(".onnx") ? fileName.substring(0, fileName.length() - 5) : fileName;
        Path named = onnx.toAbsolutePath().getParent().resolve(stem + "-tokenizer.json");
        if (Files.isRegularFile(named)) {
            return named;
        }
        for (Path dir : sideFileDirs(onnx)) {
            if (Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                return dir.resolve("tokenizer.json");
            }
        }
        return null;
    }

    /** Where side files may be: the model's directory, and its parent when that directory is {@code onnx/}. */
    static List<Path> sideFileDirs(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>(List.of(dir));
        if (dir.getFileName() != null && dir.getFileName().toString().equals("onnx") && dir.getParent() != null) {
            dirs.add(dir.getParent());
        }
        return dirs;
    }

    /** The model file and the external data files of the exported tensors (for provenance hashes). */
    private static List<Path> dataFiles(Path onnx, Map<String, OnnxTensorSource.Entry> entries) {
        java.util.LinkedHashSet<Path> files = new java.util.LinkedHashSet<>();
        files.add(onnx);
        for (OnnxTensorSource.Entry e : entries.values()) {
            if (e.tensor().external() != null) {
                files.add(OnnxTensorData.externalFile(e.tensor(), onnx));
            }
        }
        return List.copyOf(files);
    }
}
