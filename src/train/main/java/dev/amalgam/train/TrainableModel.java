package dev.amalgam.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import java.util.Map;

/**
 * A backbone with a task head, ready to train: its block is initialised (weights loaded) and maps a
 * batch's inputs to logits {@code (batch, classes)}.
 */
public interface TrainableModel {

    /** The whole network (backbone + head), already initialised. */
    Block block();

    /** The backbone's parameters keyed by their Hugging Face state-dict names, in checkpoint order. */
    Map<String, Parameter> backboneParameters();

    /** The head's parameters keyed by the names they are saved under ({@code classifier.weight}, ...). */
    Map<String, Parameter> headParameters();

    /**
     * Whether AdamW's weight decay applies to a parameter. Default: matrices and embeddings decay,
     * 1-D tensors (biases, LayerNorm/RMSNorm weights) do not.
     */
    default boolean decays(String name, Parameter parameter) {
        return parameter.getArray().getShape().dimension() >= 2;
    }

}
