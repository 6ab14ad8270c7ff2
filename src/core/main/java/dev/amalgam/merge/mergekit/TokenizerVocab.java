package dev.amalgam.merge.mergekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Json;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's tokenizer as MergeKit's tokenizer merge sees it (docs/mergekit.md, "Tokenizers"): the
 * model vocabulary of tokenizer.json (token → id; a Unigram list counts by position), its added tokens,
 * and the embedding rows the model really has ({@code vocab_size} of config.json).
 *
 * @param json      the whole tokenizer.json
 * @param config    tokenizer_config.json, or null
 * @param vocab     model vocabulary, token → id
 * @param added     added tokens, content → their tokenizer.json entry (with "id")
 * @param vocabSize rows of the embedding matrix
 */
record TokenizerVocab(String label, ObjectNode json, ObjectNode config, Map<String, Integer> vocab,
                      Map<String, ObjectNode> added, int vocabSize) {

    static TokenizerVocab of(Checkpoint c) {
        Path tok = null;
        Path cfg = null;
        for (Path p : c.auxFiles()) {
            String n = p.getFileName().toString();
            if (n.equals("tokenizer.json")) {
                tok = p;
            } else if (n.equals("tokenizer_config.json")) {
                cfg = p;
            }
        }
        if (tok == null) {
            throw new AmalgamException(c.describe() + ": no tokenizer.json; a tokenizer merge needs each model's fast tokenizer");
        }
        JsonNode json = Json.readFile(tok);
        JsonNode model = json.path("model");
        Map<String, Integer> vocab = new LinkedHashMap<>();
        JsonNode v = model.path("vocab");
        if (v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                vocab.put(e.getKey(), e.getValue().asInt());
            }
        } else if (v.isArray()) {
            int i = 0;
            for (JsonNode pair : v) {
                vocab.put(pair.get(0).asText(), i++);
            }
        } else {
            throw new AmalgamException(tok + ": no model.vocab");
        }
        Map<String, ObjectNode> added = new LinkedHashMap<>();
        for (JsonNode a : json.path("added_tokens")) {
            added.putIfAbsent(a.path("content").asText(), (ObjectNode) a);
        }
        int size = c.config() != null && c.config().has("vocab_size") ? c.config().get("vocab_size").asInt() : -1;
        TokenizerVocab t = new TokenizerVocab(c.describe(), (ObjectNode) json, cfg == null ? null : (ObjectNode) Json.readFile(cfg),
                vocab, added, 0);
        return new TokenizerVocab(c.describe(), t.json, t.config, vocab, added, size > 0 ? size : t.all().size());
    }

    /** HF get_vocab(): the model vocabulary plus the added tokens, token → id. */
    Map<String, Integer> all() {
        Map<String, Integer> all = new LinkedHashMap<>(vocab);
        added.forEach((k, e) -> all.put(k, e.get("id").asInt()));
        return all;
    }

    /** MergeKit's stripped base tokenizer: tokens at ids ≥ vocab_size removed (BPE only, as in MergeKit). */
    TokenizerVocab stripped() {
        boolean unused = all().values().stream().anyMatch(id -> id >= vocabSize);
        if (!unused) {
            return this;
        }
        if (!"BPE".equals(json.path("model").path("type").asText())) {
            throw new AmalgamException(label + ": tokenizer has tokens beyond vocab_size " + vocabSize + " and is not BPE; "
                    + "MergeKit's tokenizer merge supports only BPE there");
        }
        ObjectNode j = json.deepCopy();
        ObjectNode mv = (ObjectNode) j.path("model").path("vocab");
        java.util.Set<String> gone = new java.util.HashSet<>();
        all().forEach((k, id) -> {
            if (id >= vocabSize) {
                gone.add(k);
                mv.remove(k);
            }
        });
        ArrayNode keptAdded = Json.MAPPER.createArrayNode();
        j.path("added_tokens").forEach(a -> {
            if (a.path("id").asInt() < vocabSize) {
                keptAdded.add(a);
            }
        });
        j.set("added_tokens", keptAdded);
        ArrayNode merges = Json.MAPPER.createArrayNode();
        for (JsonNode m : j.path("model").path("merges")) {
            String[] parts = m.isArray() ? new String[]{m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ");
            if (java.util.Arrays.stream(parts).noneMatch(gone::contains)) {
                merges.add(m);
            }
        }
        ((ObjectNode) j.path("model")).set("merges", merges);
        Map<String, Integer> vocab2 = new LinkedHashMap<>(vocab);
        vocab2.keySet().removeAll(gone);
        Map<String, ObjectNode> added2 = new LinkedHashMap<>(added);
        added2.keySet().removeAll(gone);
        ObjectNode cfg = config == null ? null : config.deepCopy();
        if (cfg != null && cfg.path("added_tokens_decoder").isObject()) {
            ObjectNode dec = (ObjectNode) cfg.get("added_tokens_decoder");
            java.util.List<String> drop = new java.util.ArrayList<>();
            dec.fieldNames().forEachRemaining(k -> {
                if (k.matches("\\d+") && Integer.parseInt(k) >= vocabSize) {
                    drop.add(k);
                }
            });
            dec.remove(drop);
        }
        return new TokenizerVocab(label, j, cfg, vocab2, added2, vocabSize);
    }
}
