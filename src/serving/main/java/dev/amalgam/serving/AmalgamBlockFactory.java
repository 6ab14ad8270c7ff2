package dev.amalgam.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.amalgam.model.registry.ModelRegistry;

import java.nio.file.Path;
import java.util.Map;

/**
 * DJL {@code blockFactory} of an exported model directory: builds the Amalgam block named by
 * {@code amalgam_kind} in serving.properties and loads the directory's HF safetensors into it (the
 * directory needs {@code option.hasParameter=false}, so DJL itself reads no parameter file).
 */
public final class AmalgamBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Object kind = arguments.get(ServingKeys.KIND);
        if (kind == null) {
            throw new IllegalArgumentException(modelPath.resolve(ServingKeys.FILE) + ": no " + ServingKeys.KIND);
        }
        return switch (ServingKind.parse(kind.toString())) {
            case TEXT_CLASSIFICATION -> TextClassifierBlock.load(modelPath, model.getNDManager());
            case TEXT_GENERATION -> new GreedyGenerationBlock(
                    ModelRegistry.loadCausalLm(modelPath, model.getNDManager()),
                    ServingKeys.intArg(arguments, ServingKeys.MAX_NEW_TOKENS, 32));
            case ZERO_SHOT_IMAGE_CLASSIFICATION -> ZeroShotImageBlock.load(modelPath, model.getNDManager());
        };
    }

}
