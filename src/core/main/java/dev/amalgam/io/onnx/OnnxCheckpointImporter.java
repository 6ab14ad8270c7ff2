package dev.amalgam.io.onnx;

import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.CheckpointImporter;

import java.nio.file.Path;

/** Registers {@link OnnxCheckpoints} with {@link dev.amalgam.io.Checkpoints} for {@code .onnx} files. */
public final class OnnxCheckpointImporter implements CheckpointImporter {
    @Override
    public String suffix() {
        return ".onnx";
    }

    @Override
    public Checkpoint open(Path file) {
        return OnnxCheckpoints.open(file);
    }
}
