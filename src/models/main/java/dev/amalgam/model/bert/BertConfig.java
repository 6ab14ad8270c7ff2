package dev.amalgam.model.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of a Hugging Face BERT {@code config.json} that the encoder needs. */
public record BertConfig(int hiddenSize, int numLayers, int numHeads, int intermediateSize, int vocabSize,
                         int maxPositions, int typeVocabSize, double layerNormEps, double hiddenDropout,
                         double attentionDropout) {

    public BertConfig {
        if (numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new AmalgamException("config: hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numHeads);
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public static BertConfig read(Path configJson) {
        try {
            return fromJson(new ObjectMapper().readTree(configJson.toFile()), configJson.toString());
        } catch (IOException e) {
            dev.amalgam.io.ModulatedDirectory.refuse(configJson.toAbsolutePath().getParent());
            throw new AmalgamException(configJson + ": cannot read config (" + e.getMessage() + ")", e);
        }
    }

    public static BertConfig fromJson(JsonNode c, String where) {
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new AmalgamException(where + ": hidden_act '" + act + "' is not supported (only exact 'gelu')");
        }
        String pos = c.path("position_embedding_type").asText("absolute");
        if (!pos.equals("absolute")) {
            throw new AmalgamException(where + ": position_embedding_type '" + pos + "' is not supported");
        }
        return new BertConfig(required(c, "hidden_size", where), required(c, "num_hidden_layers", where),
                required(c, "num_attention_heads", where), required(c, "intermediate_size", where),
                required(c, "vocab_size", where), c.path("max_position_embeddings").asInt(512),
                c.path("type_vocab_size").asInt(2), c.path("layer_norm_eps").asDouble(1e-12),
                c.path("hidden_dropout_prob").asDouble(0.1), c.path("attention_probs_dropout_prob").asDouble(0.1));
    }

    private static int required(JsonNode c, String key, String where) {
        JsonNode v = c.get(key);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new AmalgamException(where + ": missing or invalid '" + key + "'");
        }
        return v.asInt();
    }

    /** Names and shapes of the BertModel state dict (Linear weights [out, in]), in module order. */
    public Map<String, long[]> weightShapes(boolean pooler) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long h = hiddenSize;
        m.put("embeddings.word_embeddings.weight", new long[] {vocabSize, h});
        m.put("embeddings.position_embeddings.weight", new long[] {maxPositions, h});
        m.put("embeddings.token_type_embeddings.weight", new long[] {typeVocabSize, h});
        m.put("embeddings.LayerNorm.weight", new long[] {h});
        m.put("embeddings.LayerNorm.bias", new long[] {h});
        for (int l = 0; l < numLayers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String lin : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                m.put(p + lin + ".weight", new long[] {h, h});
                m.put(p + lin + ".bias", new long[] {h});
            }
            m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
            m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
            m.put(p + "intermediate.dense.weight", new long[] {intermediateSize, h});
            m.put(p + "intermediate.dense.bias", new long[] {intermediateSize});
            m.put(p + "output.dense.weight", new long[] {h, intermediateSize});
            m.put(p + "output.dense.bias", new long[] {h});
            m.put(p + "output.LayerNorm.weight", new long[] {h});
            m.put(p + "output.LayerNorm.bias", new long[] {h});
        }
        if (pooler) {
            m.put("pooler.dense.weight", new long[] {h, h});
            m.put("pooler.dense.bias", new long[] {h});
        }
        return m;
    }
}
