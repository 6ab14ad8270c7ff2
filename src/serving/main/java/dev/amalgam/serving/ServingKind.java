package dev.amalgam.serving;

import dev.amalgam.AmalgamException;

import java.util.Locale;

/** What an exported model serves: the request/response types and the translator factory that maps them. */
public enum ServingKind {
    /** BERT-family encoder + fine-tuned head: String → Classifications. */
    TEXT_CLASSIFICATION("text-classification", TextClassificationTranslatorFactory.class.getName()),
    /** Decoder LM (GPT-2, Llama family), greedy decoding: String → String. */
    TEXT_GENERATION("text-generation", TextGenerationTranslatorFactory.class.getName()),
    /** CLIP with a baked-in zero-shot head: Image → Classifications. */
    ZERO_SHOT_IMAGE_CLASSIFICATION("zero-shot-image-classification", ZeroShotImageTranslatorFactory.class.getName());

    private final String id;
    private final String translatorFactory;

    ServingKind(String id, String translatorFactory) {
        this.id = id;
        this.translatorFactory = translatorFactory;
    }

    public String id() {
        return id;
    }

    public String translatorFactory() {
        return translatorFactory;
    }

    public static ServingKind parse(String s) {
        for (ServingKind k : values()) {
            if (k.id.equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new AmalgamException("unknown serving kind '" + s
                + "' (use text-classification, text-generation or zero-shot-image-classification)");
    }

    /** The kind an HF {@code model_type} is served as; null if no Amalgam serving path exists for it. */
    public static ServingKind forModelType(String modelType) {
        if (modelType == null) {
            return null;
        }
        return switch (modelType) {
            case "bert" -> TEXT_CLASSIFICATION;
            case "gpt2", "llama", "mistral", "qwen2" -> TEXT_GENERATION;
            case "clip" -> ZERO_SHOT_IMAGE_CLASSIFICATION;
            default -> null;
        };
    }
}
