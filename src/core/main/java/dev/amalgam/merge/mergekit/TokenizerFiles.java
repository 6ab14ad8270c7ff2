package dev.amalgam.merge.mergekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Json;
import dev.amalgam.recipe.MergeRecipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The tokenizer files of a merge (docs/mergekit.md, "Tokenizers"): the donor's files are copied —
 * {@code tokenizer_source}'s model, else the base (or first) model — except the tokenizer.json and
 * tokenizer_config.json a {@link VocabularyPlan} writes for a tokenizer merge. {@code chat_template}
 * ("auto" or a Jinja string) is written into tokenizer_config.json.
 *
 * @param auxFiles  files copied unchanged
 * @param sideFiles files written (tokenizer_config.json with the chat template)
 */
public record TokenizerFiles(List<Path> auxFiles, Map<String, byte[]> sideFiles) {
    private static final List<String> BUILT_IN_TEMPLATES = List.of("alpaca", "chatml", "llama3", "mistral", "exaone");

    public static TokenizerFiles choose(MergeRecipe r, Checkpoint first, List<Checkpoint> inputs,
                                        Function<Path, Checkpoint> open, VocabularyPlan vocab) {
        Checkpoint donor = first;
        String src = r.tokenizer() != null ? (String) r.tokenizer().get("source") : r.tokenizerSource();
        if (src != null && !src.equals("base") && !src.equals("union")) {
            donor = open.apply(Path.of(src));
        } else if (r.base() != null) {
            donor = open.apply(r.base());
        }
        Map<String, byte[]> side = new LinkedHashMap<>(vocab == null ? Map.of() : vocab.files());
        List<Path> aux = new ArrayList<>(donor.auxFiles());
        aux.removeIf(p -> side.containsKey(p.getFileName().toString()));
        if (r.chatTemplate() != null) {
            String template = template(r.chatTemplate(), inputs);
            if (template == null) {
                return new TokenizerFiles(aux, side);
            }
            JsonNode n;
            if (side.containsKey("tokenizer_config.json")) {
                try {
                    n = Json.MAPPER.readTree(side.get("tokenizer_config.json"));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                Path cfg = aux.stream().filter(p -> p.getFileName().toString().equals("tokenizer_config.json")).findFirst()
                        .orElseThrow(() -> new AmalgamException("chat_template: the tokenizer donor has no tokenizer_config.json "
                                + "to hold it (MergeKit drops the template with a warning; Amalgam refuses)"));
                n = Json.readFile(cfg);
                aux.remove(cfg);
            }
            if (!n.isObject()) {
                throw new AmalgamException("tokenizer_config.json: not a JSON object");
            }
            ObjectNode o = ((ObjectNode) n).deepCopy();
            o.put("chat_template", template);
            aux.removeIf(p -> p.getFileName().toString().startsWith("chat_template."));
            try {
                side.put("tokenizer_config.json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o)
                        .getBytes(StandardCharsets.UTF_8));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new TokenizerFiles(aux, side);
    }

    /** MergeKit's chat_template: auto (the inputs' most common), a built-in name, or a Jinja string. */
    static String template(String t, List<Checkpoint> inputs) {
        if (t.equals("auto")) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Checkpoint c : inputs) {
                String x = templateOf(c);
                if (x != null) {
                    counts.merge(x.strip(), 1, Integer::sum);
                }
            }
            if (counts.isEmpty()) {
                dev.amalgam.Messages.err().println("amalgam: note: chat_template: auto found no chat template in any input; none is set "
                        + "(as in MergeKit)");
                return null;
            }
            return counts.entrySet().stream().max((a, b) -> Integer.compare(a.getValue(), b.getValue())).get().getKey();
        }
        if (BUILT_IN_TEMPLATES.contains(t)) {
            throw new AmalgamException("chat_template: MergeKit's built-in template '" + t + "' is not bundled with Amalgam; "
                    + "put the Jinja text itself in the recipe");
        }
        if (t.length() < 20 || !t.contains("{")) {
            throw new AmalgamException("chat_template: invalid template '" + t + "' (auto, or a Jinja string)");
        }
        return t;
    }

    private static String templateOf(Checkpoint c) {
        for (Path p : c.auxFiles()) {
            if (p.getFileName().toString().equals("tokenizer_config.json")) {
                JsonNode n = Json.readFile(p);
                JsonNode t = n.get("chat_template");
                return t != null && t.isTextual() ? t.asText() : null;
            }
        }
        return null;
    }

}
