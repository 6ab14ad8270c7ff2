package dev.amalgam.merge.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transformer layer a tensor belongs to, from its Hugging Face name ({@code ….layers.3.…},
 * {@code ….layer.3.…}, GPT-2's {@code transformer.h.3.…}).
 */
final class LayerIndex {
    private static final Pattern LAYER = Pattern.compile("(?:^|\\.)(?:layers?|h)\\.(\\d+)\\.");

    private LayerIndex() {
    }

    /** The layer number, or -1 for a tensor outside the layer stack (embeddings, final norms, projections). */
    static int of(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
