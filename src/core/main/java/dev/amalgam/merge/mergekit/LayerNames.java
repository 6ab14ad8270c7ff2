package dev.amalgam.merge.mergekit;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a checkpoint's layer stacks from its tensor names (Hugging Face layouts: {@code model.layers.N.},
 * GPT-2's {@code h.N.}, BERT's {@code encoder.layer.N.}, CLIP's two towers …) and gives each tensor its
 * layer position t ∈ [0, 1] for MergeKit gradients: index / (layers − 1) within its stack (1 for a
 * one-layer stack), 0 for tensors outside the layers.
 */
public final class LayerNames {
    private static final Pattern LAYER = Pattern.compile("^(.*?(?:^|\\.)(?:layers|layer|h|blocks|block)\\.)(\\d+)\\.(.+)$");

    private LayerNames() {
    }

    /** A tensor name split at its layer index. */
    public record Split(String prefix, int index, String rest) {
        public String name(int newIndex) {
            return prefix + newIndex + "." + rest;
        }
    }

    /** The layer split of a name, or null outside a layer stack. */
    public static Split split(String name) {
        Matcher m = LAYER.matcher(name);
        return m.matches() ? new Split(m.group(1), Integer.parseInt(m.group(2)), m.group(3)) : null;
    }

    /** Layer count per stack prefix (the highest index + 1). */
    public static Map<String, Integer> stacks(Iterable<String> names) {
        Map<String, Integer> out = new TreeMap<>();
        for (String n : names) {
            Split s = split(n);
            if (s != null) {
                out.merge(s.prefix(), s.index() + 1, Math::max);
            }
        }
        return out;
    }

    /** MergeKit's t of layer {@code index} in a slice of {@code layers} layers. */
    public static double t(int index, int layers) {
        return layers > 1 ? (double) index / (layers - 1) : 1.0;
    }

    /** Whether a tensor outside the layers comes before them (embeddings) in MergeKit's plan. */
    public static boolean isPreLayer(String name) {
        // GPT-NeoX's output embedding (embed_out) is a post weight in MergeKit's architecture file.
        return (name.contains("embed") && !name.contains("embed_out")) || name.matches("(^|.*\\.)(wte|wpe)\\..*");
    }
}
