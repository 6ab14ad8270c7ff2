package dev.amalgam.model.clip;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The text tower's word-level tokenizer: case-sensitive whitespace split, {@code <bos> words <eos>},
 * padded with {@code <pad>} (or truncated) to {@link #MAX_LENGTH}; unknown words map to {@code <unk>}.
 * {@link #tokenizerJson()} writes the same pipeline as a Hugging Face tokenizer.json (WordLevel model,
 * WhitespaceSplit pre-tokenizer, TemplateProcessing, fixed padding) for other tools.
 */
public final class WordTokenizer {
    public static final int MAX_LENGTH = 16;
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    private static final List<String> SPECIAL = List.of("<pad>", "<unk>", "<bos>", "<eos>");

    private final Map<String, Integer> vocab = new LinkedHashMap<>();

    /** Specials first, then the distinct words of {@code texts} in sorted order. */
    public static WordTokenizer fromTexts(Collection<String> texts) {
        TreeSet<String> words = new TreeSet<>();
        for (String t : texts) {
            for (String w : split(t)) {
                words.add(w);
            }
        }
        List<String> all = new ArrayList<>(SPECIAL);
        all.addAll(words);
        return new WordTokenizer(all);
    }

    public WordTokenizer(List<String> tokens) {
        for (String t : tokens) {
            if (vocab.putIfAbsent(t, vocab.size()) != null) {
                throw new AmalgamException("tokenizer vocabulary lists '" + t + "' twice");
            }
        }
        for (int i = 0; i < SPECIAL.size(); i++) {
            if (!SPECIAL.get(i).equals(tokens.get(i))) {
                throw new AmalgamException("tokenizer vocabulary must start with " + SPECIAL);
            }
        }
    }

    public int vocabSize() {
        return vocab.size();
    }

    public List<String> tokens() {
        return new ArrayList<>(vocab.keySet());
    }

    private static String[] split(String text) {
        String s = text.strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    /** ids [MAX_LENGTH] of one text. */
    public long[] encode(String text) {
        long[] ids = new long[MAX_LENGTH];
        String[] words = split(text);
        int n = Math.min(words.length, MAX_LENGTH - 2);
        ids[0] = BOS_ID;
        for (int i = 0; i < n; i++) {
            ids[i + 1] = vocab.getOrDefault(words[i], UNK_ID);
        }
        ids[n + 1] = EOS_ID;
        return ids;
    }

    /** The attention mask of {@link #encode}: 1 up to and including {@code <eos>}. */
    public static long[] mask(long[] ids) {
        long[] m = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            m[i] = 1;
            if (ids[i] == EOS_ID) {
                break;
            }
        }
        return m;
    }

    public ObjectNode tokenizerJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        ObjectNode trunc = root.putObject("truncation");
        trunc.put("direction", "Right");
        trunc.put("max_length", MAX_LENGTH);
        trunc.put("strategy", "LongestFirst");
        trunc.put("stride", 0);
        ObjectNode pad = root.putObject("padding");
        pad.putObject("strategy").put("Fixed", MAX_LENGTH);
        pad.put("direction", "Right");
        pad.putNull("pad_to_multiple_of");
        pad.put("pad_id", PAD_ID);
        pad.put("pad_type_id", 0);
        pad.put("pad_token", "<pad>");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL.size(); i++) {
            ObjectNode a = added.addObject();
            a.put("id", i);
            a.put("content", SPECIAL.get(i));
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "<bos>");
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        special(single, "<eos>");
        ArrayNode pair = post.putArray("pair");
        special(pair, "<bos>");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 0);
        special(pair, "<eos>");
        ObjectNode st = post.putObject("special_tokens");
        for (String s : List.of("<bos>", "<eos>")) {
            ObjectNode e = st.putObject(s);
            e.put("id", s);
            e.putArray("ids").add(vocab.get(s));
            e.putArray("tokens").add(s);
        }
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.put("unk_token", "<unk>");
        return root;
    }

    private static void special(ArrayNode a, String token) {
        a.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
    }

    /** Reads the vocabulary back from a tokenizer.json written by {@link #tokenizerJson()}. */
    public static WordTokenizer fromJson(com.fasterxml.jackson.databind.JsonNode root, String where) {
        var v = root.path("model").path("vocab");
        if (!"WordLevel".equals(root.path("model").path("type").asText()) || !v.isObject()) {
            throw new AmalgamException(where + ": not a WordLevel tokenizer.json");
        }
        String[] tokens = new String[v.size()];
        v.fields().forEachRemaining(e -> {
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new AmalgamException(where + ": bad id for token '" + e.getKey() + "'");
            }
            tokens[id] = e.getKey();
        });
        return new WordTokenizer(List.of(tokens));
    }
}
