package dev.amalgam.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups tensor names into layer groups: one group per transformer block
 * ({@code vision_model.encoder.layers.3}, {@code encoder.layer.3}, {@code h.3}, {@code model.layers.3},
 * {@code visual.transformer.resblocks.3}, …), and one per other module: embeddings
 * ({@code vision_model.embeddings}), poolers, final norms ({@code model.norm}), heads ({@code lm_head}),
 * projections ({@code visual_projection}), or a bare parameter ({@code logit_scale}).
 *
 * <p>Groups are ordered by a natural sort of their names (digits compared as numbers), so blocks come
 * in depth order: {@code layers.2} before {@code layers.10}.
 */
public final class ParameterBlocks {

    /** How finely tensors are grouped. */
    public enum Granularity {
        /** Every tensor is its own group. */
        TENSOR,
        /** Transformer blocks and top-level modules. */
        BLOCK
    }

    /** The first "{container}.{N}." in a name, where the container is a stack of blocks. */
    private static final Pattern BLOCK = Pattern.compile("^((?:.*?\\.)?(?:layers|layer|h|resblocks|blocks|block)\\.(\\d+))\\.");
    /** Components that end a module path (the parameter itself). */
    private static final Set<String> LEAVES = Set.of("weight", "bias", "gamma", "beta", "running_mean",
            "running_var", "num_batches_tracked", "position_ids", "in_proj_weight", "in_proj_bias",
            "scale", "g", "b");
    /** Modules whose sub-modules are kept together. */
    private static final Set<String> COLLAPSE = Set.of("embeddings", "pooler", "predictions");

    private final Granularity granularity;
    private final Map<String, List<String>> groups;

    private ParameterBlocks(Collection<String> names, Granularity granularity) {
        this.granularity = granularity;
        Map<String, List<String>> m = new TreeMap<>(ParameterBlocks::naturalCompare);
        for (String n : names) {
            m.computeIfAbsent(groupOf(n, granularity), k -> new ArrayList<>()).add(n);
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            v.sort(ParameterBlocks::naturalCompare);
            ordered.put(k, Collections.unmodifiableList(v));
        });
        this.groups = Collections.unmodifiableMap(ordered);
    }

    public static ParameterBlocks of(Collection<String> names) {
        return new ParameterBlocks(names, Granularity.BLOCK);
    }

    public static ParameterBlocks of(Collection<String> names, Granularity granularity) {
        return new ParameterBlocks(names, granularity);
    }

    /** Group name → member tensor names, groups in natural order. */
    public Map<String, List<String>> groups() {
        return groups;
    }

    public Granularity granularity() {
        return granularity;
    }

    /** The group of a tensor under this instance's granularity. */
    public String group(String name) {
        return groupOf(name, granularity);
    }

    /** The block-level group of a tensor name. */
    public static String groupOf(String name) {
        return groupOf(name, Granularity.BLOCK);
    }

    public static String groupOf(String name, Granularity granularity) {
        if (granularity == Granularity.TENSOR) {
            return name;
        }
        Matcher b = BLOCK.matcher(name);
        if (b.find()) {
            return b.group(1);
        }
        String[] parts = name.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            if (COLLAPSE.contains(parts[i])) {
                return String.join(".", java.util.Arrays.copyOf(parts, i + 1));
            }
        }
        if (parts.length > 1 && LEAVES.contains(parts[parts.length - 1])) {
            return name.substring(0, name.lastIndexOf('.'));
        }
        return name; // a bare parameter such as logit_scale or visual.proj
    }

    /** The block index of a tensor (the N of {@code layers.N}), or -1 outside the block stacks. */
    public static int blockIndex(String name) {
        Matcher b = BLOCK.matcher(name);
        return b.find() ? Integer.parseInt(b.group(2)) : -1;
    }

    /** Compares strings with embedded digit runs compared numerically ("layers.2" < "layers.10"). */
    public static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    /** Natural-order comparator, for callers sorting names the same way. */
    public static Comparator<String> naturalOrder() {
        return ParameterBlocks::naturalCompare;
    }
}
