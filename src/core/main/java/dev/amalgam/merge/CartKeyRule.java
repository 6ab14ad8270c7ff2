package dev.amalgam.merge;

import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tensors CART treats as low-rank (docs/methods/merge-methods.md §16.2), and which q/k/v triples it stacks.
 *
 * <ul>
 *   <li>{@code clip}: an explicit whitelist of the 2-D attention and MLP weight matrices of the
 *       transformer blocks of OpenCLIP, Hugging Face CLIP, BERT, GPT-2 and Llama. Everything else
 *       (layer norms such as HF {@code layer_norm1}, biases, embeddings, patch conv, projections) is
 *       averaged. This is CART's own rule, written per architecture instead of as substrings.</li>
 *   <li>{@code lm}: AdaRank's language-model rule: every 2-D tensor is low-rank unless its name
 *       contains {@code bias}, {@code LayerNorm}, {@code ln} or {@code token_type_embeddings}
 *       (plain substrings, as in the source), and k = int(ratio · dim) without the max(1, ·) floor.</li>
 * </ul>
 */
public final class CartKeyRule {

    public enum Kind { CLIP, LM }

    private static final String L = "(?:^|\\.)";
    private static final List<Pattern> WHITELIST = List.of(
            // OpenCLIP: in_proj_weight is q/k/v already stacked [3d, d]: one matrix.
            Pattern.compile(L + "resblocks\\.\\d+\\.attn\\.(?:in_proj_weight|out_proj\\.weight)$"),
            Pattern.compile(L + "resblocks\\.\\d+\\.mlp\\.(?:c_fc|c_proj)\\.weight$"),
            // HF CLIP (q/k/v/out_proj, fc1/fc2) and Llama (q/k/v/o_proj, gate/up/down_proj).
            Pattern.compile(L + "layers\\.\\d+\\.self_attn\\.(?:q|k|v|out|o)_proj\\.weight$"),
            Pattern.compile(L + "layers\\.\\d+\\.mlp\\.(?:fc1|fc2|gate_proj|up_proj|down_proj)\\.weight$"),
            // BERT / RoBERTa.
            Pattern.compile(L + "layer\\.\\d+\\.attention\\.self\\.(?:query|key|value)\\.weight$"),
            Pattern.compile(L + "layer\\.\\d+\\.(?:attention\\.output\\.dense|intermediate\\.dense|output\\.dense)\\.weight$"),
            // GPT-2 (Conv1D layout [in, out]; c_attn already holds q/k/v).
            Pattern.compile(L + "h\\.\\d+\\.(?:attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.weight$"));

    private static final List<String> LM_EXCLUDED = List.of("bias", "LayerNorm", "ln", "token_type_embeddings");

    /** Query names whose key/value partners are stacked with them: group(1) is the common prefix. */
    private static final Pattern HF_Q = Pattern.compile("^(.*" + L + "layers\\.\\d+\\.self_attn\\.)q_proj\\.weight$");
    private static final Pattern BERT_Q = Pattern.compile("^(.*" + L + "layer\\.\\d+\\.attention\\.self\\.)query\\.weight$");

    private final Kind kind;
    private final Pattern exclude;

    /** @param exclude names matching it (find) are averaged regardless of the rule; may be null */
    public CartKeyRule(Kind kind, Pattern exclude) {
        this.kind = kind;
        this.exclude = exclude;
    }

    public static Kind parseKind(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "clip": return Kind.CLIP;
            case "lm": return Kind.LM;
            default: throw new AmalgamException("cart: parameter 'key_rule' must be clip or lm, got '" + s + "'");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** True if the tensor gets a rank-reduced centred task vector; only 2-D tensors can. */
    public boolean isLowRank(String name, long[] shape) {
        if (shape.length != 2 || (exclude != null && exclude.matcher(name).find())) {
            return false;
        }
        if (kind == Kind.LM) {
            for (String s : LM_EXCLUDED) {
                if (name.contains(s)) {
                    return false;
                }
            }
            return true;
        }
        for (Pattern p : WHITELIST) {
            if (p.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }

    /** True if the name is the q, k or v projection of a layer stored as separate matrices. */
    public static boolean isSeparateQkv(String name) {
        return qkvPrefix(name) != null;
    }

    /**
     * The [q, k, v] name triples among {@code names} (HF CLIP / Llama {@code self_attn.{q,k,v}_proj},
     * BERT {@code attention.self.{query,key,value}}), in sorted order of q.
     *
     * @throws AmalgamException if a projection is present without its two partners
     */
    public static List<List<String>> qkvTriples(Collection<String> names) {
        Set<String> all = new HashSet<>(names);
        List<List<String>> triples = new ArrayList<>();
        Set<String> grouped = new HashSet<>();
        for (String n : new TreeSet<>(names)) {
            String[] t = triple(n);
            if (t == null || !t[0].equals(n)) {
                continue;
            }
            for (String m : t) {
                if (!all.contains(m)) {
                    throw new AmalgamException("cart: stack_qkv needs " + m + " next to " + n + " (or set stack_qkv: false)");
                }
            }
            triples.add(List.of(t));
            grouped.addAll(List.of(t));
        }
        for (String n : names) {
            if (isSeparateQkv(n) && !grouped.contains(n)) {
                throw new AmalgamException("cart: stack_qkv found " + n + " without its query projection " + triple(n)[0]
                        + " (or set stack_qkv: false)");
            }
        }
        return triples;
    }

    private static String[] triple(String name) {
        String p = qkvPrefix(name);
        if (p == null) {
            return null;
        }
        if (name.endsWith("_proj.weight")) {
            return new String[]{p + "q_proj.weight", p + "k_proj.weight", p + "v_proj.weight"};
        }
        return new String[]{p + "query.weight", p + "key.weight", p + "value.weight"};
    }

    private static String qkvPrefix(String name) {
        for (String[] qkv : new String[][]{{"q_proj.weight", "k_proj.weight", "v_proj.weight"},
                {"query.weight", "key.weight", "value.weight"}}) {
            for (String suffix : qkv) {
                if (name.endsWith(suffix)) {
                    String asQuery = name.substring(0, name.length() - suffix.length()) + qkv[0];
                    Matcher m = (qkv[0].startsWith("q_") ? HF_Q : BERT_Q).matcher(asQuery);
                    if (m.matches()) {
                        return m.group(1);
                    }
                }
            }
        }
        return null;
    }
}
