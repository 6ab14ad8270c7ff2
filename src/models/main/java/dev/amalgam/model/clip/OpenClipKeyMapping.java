package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.ModelWeights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Presents an OpenCLIP ViT state dict ({@code visual.conv1.weight}, {@code transformer.resblocks.N...},
 * {@code visual.proj}, ...) under Hugging Face {@code CLIPModel} names. Fused {@code in_proj_weight/bias}
 * are split into q/k/v row blocks, and the {@code x @ proj} matrices {@code visual.proj} /
 * {@code text_projection} are transposed into {@code nn.Linear} layout. Tensors are converted lazily,
 * one at a time. The {@code attn_mask} buffer is ignored; any other unknown key is an error.
 */
public final class OpenClipKeyMapping implements ModelWeights {
    private static final Pattern BLOCK = Pattern.compile("(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)");
    private static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry("visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"),
            Map.entry("visual.class_embedding", "vision_model.embeddings.class_embedding"),
            Map.entry("visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"),
            Map.entry("visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"),
            Map.entry("visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"),
            Map.entry("visual.ln_post.weight", "vision_model.post_layernorm.weight"),
            Map.entry("visual.ln_post.bias", "vision_model.post_layernorm.bias"),
            Map.entry("token_embedding.weight", "text_model.embeddings.token_embedding.weight"),
            Map.entry("positional_embedding", "text_model.embeddings.position_embedding.weight"),
            Map.entry("ln_final.weight", "text_model.final_layer_norm.weight"),
            Map.entry("ln_final.bias", "text_model.final_layer_norm.bias"),
            Map.entry("logit_scale", "logit_scale"));
    private static final Map<String, String> TRANSPOSED = Map.of(
            "visual.proj", "visual_projection.weight",
            "text_projection", "text_projection.weight");
    private static final Map<String, String> IN_BLOCK = Map.ofEntries(
            Map.entry("ln_1.weight", "layer_norm1.weight"), Map.entry("ln_1.bias", "layer_norm1.bias"),
            Map.entry("ln_2.weight", "layer_norm2.weight"), Map.entry("ln_2.bias", "layer_norm2.bias"),
            Map.entry("attn.out_proj.weight", "self_attn.out_proj.weight"),
            Map.entry("attn.out_proj.bias", "self_attn.out_proj.bias"),
            Map.entry("mlp.c_fc.weight", "mlp.fc1.weight"), Map.entry("mlp.c_fc.bias", "mlp.fc1.bias"),
            Map.entry("mlp.c_proj.weight", "mlp.fc2.weight"), Map.entry("mlp.c_proj.bias", "mlp.fc2.bias"));
    private static final String[] QKV = {"q_proj", "k_proj", "v_proj"};

    /** How to produce one HF tensor: the OpenCLIP source, then an optional transpose or a q/k/v third. */
    private record Source(String name, boolean transpose, int third) {
    }

    private final ModelWeights openClip;
    private final Map<String, Source> sources = new LinkedHashMap<>();

    public OpenClipKeyMapping(ModelWeights openClip) {
        this.openClip = openClip;
        for (String name : openClip.names()) {
            map(name);
        }
    }

    /** True when the names look like an OpenCLIP state dict rather than an HF one. */
    public static boolean looksLikeOpenClip(Set<String> names) {
        return names.contains("visual.conv1.weight") || names.contains("visual.proj");
    }

    private void map(String name) {
        if (FIXED.containsKey(name)) {
            sources.put(FIXED.get(name), new Source(name, false, -1));
            return;
        }
        if (TRANSPOSED.containsKey(name)) {
            sources.put(TRANSPOSED.get(name), new Source(name, true, -1));
            return;
        }
        if (name.equals("attn_mask")) {
            return;
        }
        Matcher m = BLOCK.matcher(name);
        if (m.matches()) {
            String layer = (m.group(1) != null ? "vision_model" : "text_model") + ".encoder.layers." + m.group(2) + ".";
            String rest = m.group(3);
            if (IN_BLOCK.containsKey(rest)) {
                sources.put(layer + IN_BLOCK.get(rest), new Source(name, false, -1));
                return;
            }
            if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
                String kind = rest.endsWith("weight") ? "weight" : "bias";
                for (int i = 0; i < 3; i++) {
                    sources.put(layer + "self_attn." + QKV[i] + "." + kind, new Source(name, false, i));
                }
                return;
            }
        }
        throw new AmalgamException(openClip.describe() + ": OpenCLIP tensor '" + name
                + "' has no Hugging Face CLIPModel equivalent (only ViT OpenCLIP models without layer scale are supported)");
    }

    /** The OpenCLIP name an HF name is read from (for messages and tests). */
    public String sourceName(String hfName) {
        Source s = sources.get(hfName);
        return s == null ? null : s.name();
    }

    @Override
    public Set<String> names() {
        return sources.keySet();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Source s = sources.get(name);
        if (s == null) {
            throw new AmalgamException(openClip.describe() + ": missing tensor '" + name + "' (OpenCLIP layout)");
        }
        NDArray a = openClip.load(s.name(), manager);
        if (s.transpose()) {
            NDArray t = a.transpose().duplicate();
            a.close();
            return t;
        }
        if (s.third() >= 0) {
            long rows = a.getShape().get(0);
            if (rows % 3 != 0) {
                throw new AmalgamException(openClip.describe() + ": '" + s.name() + "' has " + rows
                        + " rows, not a multiple of 3");
            }
            long n = rows / 3;
            NDArray part = a.get(new NDIndex(s.third() * n + ":" + (s.third() + 1) * n)).duplicate();
            a.close();
            return part;
        }
        return a;
    }

    @Override
    public String describe() {
        return openClip.describe() + " (OpenCLIP)";
    }
}
