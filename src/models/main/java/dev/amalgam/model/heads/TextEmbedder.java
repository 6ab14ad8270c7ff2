package dev.amalgam.model.heads;

import java.util.List;

/** Maps texts to embeddings (one row per text), e.g. a CLIP text encoder + projection. */
@FunctionalInterface
public interface TextEmbedder {
    float[][] embed(List<String> texts);
}
