package dev.amalgam.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Where the shared backbone sits in the state dict of a Hugging Face model class, from config.json's
 * {@code architectures}: a task class keeps the backbone under an attribute prefix and its head beside
 * it ({@code BertForSequenceClassification}: {@code bert.*} + {@code classifier.*}); the bare class has
 * the backbone at the top ({@code BertModel}). CLIP's classes share one naming and differ in which
 * towers they hold ({@code CLIPModel}: both; {@code CLIPVisionModelWithProjection}: the vision tower and
 * {@code visual_projection}). Unknown classes are null; {@link LayoutAlignment} then detects the
 * prefix from the tensor names.
 */
public final class HfArchitectures {

    /**
     * @param name   the class, e.g. {@code LlamaForCausalLM}
     * @param family classes of one family share a backbone, e.g. {@code llama}
     * @param prefix where the backbone's tensors sit ("" for the bare model)
     * @param parts  the backbone's top-level modules this class holds, or null for all of them
     */
    public record Arch(String name, String family, String prefix, List<String> parts) {
        /** Whether this class holds the backbone module {@code top} (first component of a backbone-relative name). */
        public boolean holds(String top) {
            return parts == null || parts.contains(top);
        }
    }

    /** Class-name stem → (family, attribute the task classes keep the backbone under). Longest stems first. */
    private static final List<String[]> PREFIXED = List.of(
            new String[] {"XLMRoberta", "xlm-roberta", "roberta."},
            new String[] {"DistilBert", "distilbert", "distilbert."},
            new String[] {"Roberta", "roberta", "roberta."},
            new String[] {"Bert", "bert", "bert."},
            new String[] {"Llama", "llama", "model."},
            new String[] {"Mistral", "mistral", "model."},
            new String[] {"Qwen2", "qwen2", "model."},
            new String[] {"GPT2", "gpt2", "transformer."});

    private HfArchitectures() {
    }

    /** The class named first in {@code config}'s {@code architectures}, or null if absent or unknown. */
    public static Arch of(ObjectNode config) {
        if (config == null) {
            return null;
        }
        JsonNode a = config.path("architectures");
        return a.isArray() && a.size() > 0 ? of(a.get(0).asText()) : null;
    }

    /** A class by name, or null if unknown. */
    public static Arch of(String cls) {
        switch (cls) {
            case "CLIPModel": return new Arch(cls, "clip", "", null);
            case "CLIPVisionModel": return new Arch(cls, "clip", "", List.of("vision_model"));
            case "CLIPVisionModelWithProjection": return new Arch(cls, "clip", "", List.of("vision_model", "visual_projection"));
            case "CLIPTextModel": return new Arch(cls, "clip", "", List.of("text_model"));
            case "CLIPTextModelWithProjection": return new Arch(cls, "clip", "", List.of("text_model", "text_projection"));
            default: break;
        }
        for (String[] p : PREFIXED) {
            String stem = p[0];
            if (!cls.startsWith(stem)) {
                continue;
            }
            String rest = cls.substring(stem.length());
            if (rest.equals("Model")) {
                return new Arch(cls, p[1], "", null);
            }
            if (rest.startsWith("For") || rest.equals("LMHeadModel")) {
                return new Arch(cls, p[1], p[2], null);
            }
            return null;
        }
        return null;
    }
}
