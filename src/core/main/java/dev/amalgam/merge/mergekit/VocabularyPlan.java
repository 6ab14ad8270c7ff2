package dev.amalgam.merge.mergekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * MergeKit's tokenizer merge (docs/mergekit.md, "Tokenizers"; MergeKit's tokenizer/build.py and
 * embed.py): the output vocabulary ({@code union}, {@code base} or one model's), each input's
 * permutation into it, and where each token's embedding row comes from when a model lacks the token
 * (the only model that has it; else the base; else the mean of the models that have it; or what the
 * recipe's {@code tokenizer.tokens} says).
 */
public final class VocabularyPlan {

    /** Where a token's default row comes from. */
    sealed interface Source permits Zero, FromModel, ModelToken, Average {
    }

    record Zero() implements Source {
    }

    /** The token's own row in that input. */
    record FromModel(int input) implements Source {
    }

    /** A given row of that input (token_id), or the row of another token there. */
    record ModelToken(int input, int row) implements Source {
    }

    record Average() implements Source {
    }

    private final List<TokenizerVocab> inputs;   // engine order: tasks 0..T-1, then the base at T
    private final int baseInput;                 // T when the recipe has a base_model, else -1
    private final ObjectNode outJson;
    private final ObjectNode outConfig;
    private final Map<String, Integer> outVocab;
    private final int rows;
    private final int[][] perm;                  // [input][new id] → old row or −1
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Set<String> forced = new LinkedHashSet<>();

    /**
     * @param inputs     the engine inputs' checkpoints (tasks, then the base / first model)
     * @param hasBase    whether the last input is the recipe's base_model
     * @param source     "union", "base" or a model path
     * @param tokens     the recipe's tokenizer.tokens (token → {source, force}), or empty
     * @param padTo      pad_to_multiple_of, or 0
     * @param byPath     resolves a model path of the recipe to its engine input index
     */
    public VocabularyPlan(List<Checkpoint> inputs, boolean hasBase, String source, Map<String, Object> tokens, int padTo,
                          Function<Path, Integer> byPath, Function<Path, Checkpoint> open) {
        this.inputs = new ArrayList<>();
        inputs.forEach(c -> this.inputs.add(TokenizerVocab.of(c)));
        int t = inputs.size() - 1;
        this.baseInput = hasBase ? t : -1;
        TokenizerVocab base = this.inputs.get(t).stripped();
        this.inputs.set(t, base);
        TokenizerVocab out;
        if (source.equals("base")) {
            out = base;
        } else if (source.equals("union")) {
            out = base;
        } else {
            out = TokenizerVocab.of(open.apply(Path.of(source)));
        }
        outJson = out.json().deepCopy();
        outConfig = out.config() == null ? null : out.config().deepCopy();
        outVocab = new LinkedHashMap<>(out.all());
        if (source.equals("union")) {
            union();
        }
        for (String tok : tokens.keySet()) {
            addToken(tok, null);
        }
        int n = outVocab.size();
        rows = padTo > 0 && n % padTo != 0 ? (n / padTo + 1) * padTo : n;
        perm = new int[this.inputs.size()][];
        for (int i = 0; i < perm.length; i++) {
            TokenizerVocab m = this.inputs.get(i);
            Map<String, Integer> mv = m.all();
            int[] p = new int[n];
            for (Map.Entry<String, Integer> e : outVocab.entrySet()) {
                Integer old = mv.get(e.getKey());
                p[e.getValue()] = old != null && old < m.vocabSize() ? old : -1;
            }
            perm[i] = p;
        }
        configure(tokens, byPath);
    }

    /** MergeKit's build_union_tokenizer: every input's tokens, then their added tokens, appended to the base. */
    private void union() {
        Map<String, ObjectNode> addedFirst = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>();
        List<TokenizerVocab> order = new ArrayList<>();
        order.add(inputs.get(inputs.size() - 1));
        order.addAll(inputs.subList(0, inputs.size() - 1));
        Set<String> seen = new LinkedHashSet<>();
        for (TokenizerVocab m : order) {
            Map<Integer, String> byId = new TreeMap<>();
            m.vocab().forEach((k, id) -> byId.put(id, k));
            for (Map.Entry<Integer, String> e : byId.entrySet()) {
                if (e.getKey() < m.vocabSize() && seen.add(e.getValue())) {
                    plain.add(e.getValue());
                }
            }
            m.added().forEach((k, entry) -> {
                if (entry.get("id").asInt() < m.vocabSize()) {
                    addedFirst.putIfAbsent(k, entry);
                }
            });
        }
        for (String tok : plain) {
            if (!addedFirst.containsKey(tok) && !outVocab.containsKey(tok)) {
                addToken(tok, null);
            }
        }
        for (ObjectNode entry : addedFirst.values()) {
            addToken(entry.get("content").asText(), entry);
        }
    }

    /** HF add_tokens: a token not yet in the vocabulary gets the next id as an added token. */
    private void addToken(String tok, ObjectNode settings) {
        if (outVocab.containsKey(tok)) {
            return;
        }
        int id = outVocab.size();
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("id", id);
        e.put("content", tok);
        e.put("single_word", settings != null && settings.path("single_word").asBoolean(false));
        e.put("lstrip", settings != null && settings.path("lstrip").asBoolean(false));
        e.put("rstrip", settings != null && settings.path("rstrip").asBoolean(false));
        boolean special = settings != null && settings.path("special").asBoolean(false);
        e.put("normalized", settings != null ? settings.path("normalized").asBoolean(!special) : true);
        e.put("special", special);
        ((ArrayNode) outJson.withArray("added_tokens")).add(e);
        if (outConfig != null) {
            ObjectNode dec = outConfig.with("added_tokens_decoder");
            ObjectNode d = e.deepCopy();
            d.remove("id");
            dec.set(Integer.toString(id), d);
        }
        outVocab.put(tok, id);
    }

    /** MergeKit's assign_embedding_sources plus the recipe's explicit token sources. */
    private void configure(Map<String, Object> tokens, Function<Path, Integer> byPath) {
        for (Map.Entry<String, Object> e : tokens.entrySet()) {
            String where = "tokenizer.tokens." + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new AmalgamException(where + ": expected {source: ..., force: ...}");
            }
            for (Object k : m.keySet()) {
                if (!k.equals("source") && !k.equals("force")) {
                    throw new AmalgamException(where + ": unknown key '" + k + "' (source, force)");
                }
            }
            if (Boolean.TRUE.equals(m.get("force"))) {
                forced.add(e.getKey());
            }
            Object s = m.get("source");
            if (s == null) {
                // MergeKit skips the automatic assignment for every listed token and then fails without a source.
                throw new AmalgamException(where + ": needs a 'source' (a model path, {kind: zero} or {kind: model_token, ...})");
            }
            sources.put(e.getKey(), source(s, where, byPath));
        }
        int n = outVocab.size();
        for (Map.Entry<String, Integer> e : outVocab.entrySet()) {
            if (sources.containsKey(e.getKey())) {
                continue;
            }
            int id = e.getValue();
            List<Integer> present = new ArrayList<>();
            for (int i = 0; i < perm.length; i++) {
                if (perm[i][id] >= 0) {
                    present.add(i);
                }
            }
            if (present.size() == 1) {
                sources.put(e.getKey(), new FromModel(present.get(0)));
            } else if (present.isEmpty()) {
                sources.put(e.getKey(), new Zero());
            } else if (baseInput >= 0 && perm[baseInput][id] >= 0) {
                sources.put(e.getKey(), new FromModel(baseInput));
            } else {
                sources.put(e.getKey(), new Average());
            }
        }
        if (n == 0) {
            throw new AmalgamException("tokenizer: the output vocabulary is empty");
        }
    }

    private Source source(Object s, String where, Function<Path, Integer> byPath) {
        if (s instanceof String path) {
            return new FromModel(input(byPath, path, where));
        }
        if (s instanceof Map<?, ?> m) {
            Object kind = m.get("kind");
            if ("zero".equals(kind)) {
                return new Zero();
            }
            if ("model_token".equals(kind)) {
                int input = input(byPath, String.valueOf(m.get("model")), where);
                Object id = m.get("token_id");
                Object tok = m.get("token");
                if ((id == null) == (tok == null)) {
                    throw new AmalgamException(where + ".source: give exactly one of token_id and token");
                }
                int row;
                if (id != null) {
                    row = ((Number) id).intValue();
                } else {
                    Integer r = inputs.get(input).all().get(tok.toString());
                    if (r == null) {
                        throw new AmalgamException(where + ".source: token '" + tok + "' not in " + inputs.get(input).label());
                    }
                    row = r;
                }
                return new ModelToken(input, row);
            }
        }
        throw new AmalgamException(where + ".source: expected a model path, {kind: zero} or {kind: model_token, model, token|token_id}");
    }

    private static int input(Function<Path, Integer> byPath, String path, String where) {
        Integer i = byPath.apply(Path.of(path));
        if (i == null) {
            throw new AmalgamException(where + ".source: model " + path + " is not part of the merge");
        }
        return i;
    }

    /** Rows of the permuted embedding matrices (the output vocabulary, padded). */
    public int rows() {
        return rows;
    }

    /** Whether input {@code i}'s tensor with {@code oldRows} rows is an embedding this plan permutes. */
    boolean permutes(int i, long oldRows) {
        return oldRows == inputs.get(i).vocabSize() || oldRows == inputs.get(i).all().size();
    }

    /**
     * Every input's permuted matrix [rows, hidden] from their own matrices (row-major floats), as
     * MergeKit's PermutedEmbeddings builds them.
     */
    float[][] permute(float[][] own, int hidden) {
        int k = own.length;
        int n = outVocab.size();
        Map<String, float[]> defaults = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : outVocab.entrySet()) {
            int id = e.getValue();
            Source s = sources.get(e.getKey());
            float[] row = new float[hidden];
            if (s instanceof Average) {
                int count = 0;
                for (int i = 0; i < k; i++) {
                    if (perm[i][id] >= 0) {
                        add(row, own[i], perm[i][id], hidden);
                        count++;
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    row[j] /= count;
                }
            } else if (s instanceof FromModel f) {
                if (perm[f.input()][id] < 0) {
                    throw new AmalgamException("tokenizer: token '" + e.getKey() + "' not found in " + inputs.get(f.input()).label());
                }
                add(row, own[f.input()], perm[f.input()][id], hidden);
            } else if (s instanceof ModelToken mt) {
                if (mt.row() < 0 || (long) (mt.row() + 1) * hidden > own[mt.input()].length) {
                    throw new AmalgamException("tokenizer: token_id " + mt.row() + " out of range for " + inputs.get(mt.input()).label());
                }
                add(row, own[mt.input()], mt.row(), hidden);
            }
            defaults.put(e.getKey(), row);
        }
        float[][] out = new float[k][];
        for (int i = 0; i < k; i++) {
            float[] m = new float[rows * hidden];
            for (Map.Entry<String, Integer> e : outVocab.entrySet()) {
                int id = e.getValue();
                int old = perm[i][id];
                if (old >= 0 && !forced.contains(e.getKey())) {
                    System.arraycopy(own[i], old * hidden, m, id * hidden, hidden);
                } else {
                    System.arraycopy(defaults.get(e.getKey()), 0, m, id * hidden, hidden);
                }
            }
            if (rows > n) {
                float[] avg = new float[hidden];
                for (int r = 0; r < n; r++) {
                    add(avg, m, r, hidden);
                }
                for (int j = 0; j < hidden; j++) {
                    avg[j] /= n;
                }
                for (int r = n; r < rows; r++) {
                    System.arraycopy(avg, 0, m, r * hidden, hidden);
                }
            }
            out[i] = m;
        }
        return out;
    }

    private static void add(float[] dst, float[] src, int row, int hidden) {
        for (int j = 0; j < hidden; j++) {
            dst[j] += src[row * hidden + j];
        }
    }

    /** The output's tokenizer.json and tokenizer_config.json. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("tokenizer.json", bytes(outJson));
        if (outConfig != null) {
            f.put("tokenizer_config.json", bytes(outConfig));
        }
        return f;
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The output vocabulary, token → id. */
    public Map<String, Integer> vocabulary() {
        return java.util.Collections.unmodifiableMap(outVocab);
    }
}
