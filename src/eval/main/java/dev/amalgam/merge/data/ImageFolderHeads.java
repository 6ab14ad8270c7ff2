package dev.amalgam.merge.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.suites.SuiteCatalog;
import dev.amalgam.eval.suites.TaskSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The zero-shot head of a folder of images (docs/merging.md#data-aware-methods): Fisher merging and
 * AdaMerging need logits, and a CLIP model's logits need class names and prompt templates. A data block
 * names them with {@code task: NAME} (a task of the built-in suites: its classes and templates, as the
 * eval suites build that task's head) or with {@code classes: [...]} and optionally {@code templates:
 * [...]} (default {@link #DEFAULT_TEMPLATES}, CLIP's own prompt). The head is built when the merge runs,
 * with the base model's text tower, as FusionBench builds its CLIP heads from the pre-trained model.
 */
final class ImageFolderHeads {
    static final List<String> KEYS = List.of("task", "classes", "templates");
    static final List<String> DEFAULT_TEMPLATES = List.of("a photo of a {}.");

    private ImageFolderHeads() {
    }

    /** {classes, templates, from} when the block names a head; empty when it names none. */
    static Optional<Map<String, Object>> parse(JsonNode node, String key) {
        if (node.has("task") && (node.has("classes") || node.has("templates"))) {
            throw new AmalgamException(key + ".task: a suite task brings its own classes and templates; give either "
                    + "task or classes (+ templates)");
        }
        if (node.has("templates") && !node.has("classes")) {
            throw new AmalgamException(key + ".templates: give classes too (templates are filled with class names)");
        }
        Map<String, Object> head = new LinkedHashMap<>();
        if (node.has("task")) {
            JsonNode t = node.get("task");
            if (!t.isTextual() || t.asText().isBlank()) {
                throw new AmalgamException(key + ".task: expected a task name");
            }
            TaskSpec spec;
            try {
                spec = SuiteCatalog.builtin().task(t.asText());
            } catch (AmalgamException e) {
                throw new AmalgamException(key + ".task: " + e.getMessage());
            }
            head.put("classes", spec.classes());
            head.put("templates", spec.templates());
            head.put("from", "task " + spec.name() + ": " + spec.classes().size() + " classes, "
                    + spec.templates().size() + " templates");
            return Optional.of(head);
        }
        if (!node.has("classes")) {
            return Optional.empty();
        }
        List<String> classes = strings(node.get("classes"), key + ".classes", 2);
        if (classes.stream().distinct().count() != classes.size()) {
            throw new AmalgamException(key + ".classes: a class is named twice");
        }
        List<String> templates = node.has("templates")
                ? strings(node.get("templates"), key + ".templates", 1) : DEFAULT_TEMPLATES;
        for (String tpl : templates) {
            if (!tpl.contains("{}")) {
                throw new AmalgamException(key + ".templates: '" + tpl + "' has no {} for the class name");
            }
        }
        head.put("classes", classes);
        head.put("templates", templates);
        head.put("from", classes.size() + " classes, " + (node.has("templates")
                ? templates.size() + " templates" : "template '" + DEFAULT_TEMPLATES.get(0) + "' (default)"));
        return Optional.of(head);
    }

    private static List<String> strings(JsonNode v, String key, int min) {
        if (v == null || !v.isArray() || v.size() < min) {
            throw new AmalgamException(key + ": expected a list of at least " + min + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new AmalgamException(key + ": expected a list of strings; got " + e);
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }
}
