package dev.amalgam.io;

import java.nio.file.Path;

/**
 * Opens a foreign weight format as a {@link Checkpoint} whose tensor names are Hugging Face keys (the ONNX importer in
 * {@code dev.amalgam.io.onnx}). {@link Checkpoints} finds importers with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.amalgam.io.CheckpointImporter}, so {@code io} depends on no format package.
 */
public interface CheckpointImporter {
    /** The file suffix this importer reads, lower case with its dot, e.g. {@code ".onnx"}. */
    String suffix();

    /** Opens the file; bad input throws an AmalgamException naming the file. */
    Checkpoint open(Path file);
}
