package dev.amalgam.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.job.MergeMethods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a run recipe (docs/run.md); every error is one line naming the file and the offending key. */
public final class RunRecipeParser {
    private static final Set<String> TOP = Set.of("name", "suite", "tasks", "methods", "unseen", "keep", "baselines");
    private static final Set<String> METHOD = Set.of("method", "label", "params", "sweep", "lwptv");
    private static final Set<String> UNSEEN = Set.of("merge", "heldout");

    private final String where;

    private RunRecipeParser(String where) {
        this.where = where;
    }

    public static RunRecipe parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException(file + ": recipe file not found");
        }
        try {
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read recipe: " + e.getMessage());
        }
    }

    public static RunRecipe parse(String text, Path file) {
        return new RunRecipeParser(file.toString()).read(text, file);
    }

    private RunRecipe read(String text, Path file) {
        Object root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw fail("invalid YAML" + at + ": " + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
        }
        Map<String, Object> top = map(root, "(top level)");
        known(top, TOP, "");
        Path dir = file.toAbsolutePath().getParent();
        String name = top.containsKey("name") ? string(top.get("name"), "name")
                : file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw fail("key 'name': use letters, digits, '.', '_' or '-' (it names runs/<name>), got '" + name + "'");
        }
        Map<String, Object> suite = map(require(top, "suite"), "suite");
        String kind = string(require(suite, "suite.kind", "kind"), "suite.kind");
        SuiteKinds.check(kind, suite.keySet(), where);
        Map<String, Object> options = new LinkedHashMap<>(suite);
        options.remove("kind");
        List<String> tasks = top.containsKey("tasks") ? strings(top.get("tasks"), "tasks") : List.of();
        List<String> heldout = List.of();
        if (top.containsKey("unseen")) {
            Map<String, Object> u = map(top.get("unseen"), "unseen");
            known(u, UNSEEN, "unseen.");
            if (top.containsKey("tasks")) {
                throw fail("key 'tasks': give either tasks or unseen.merge (the merged tasks), not both");
            }
            tasks = strings(require(u, "unseen.merge", "merge"), "unseen.merge");
            heldout = strings(require(u, "unseen.heldout", "heldout"), "unseen.heldout");
            for (String h : heldout) {
                if (tasks.contains(h)) {
                    throw fail("key 'unseen.heldout': task '" + h + "' is also in unseen.merge");
                }
            }
        }
        List<RunRecipe.MethodSpec> methods = new ArrayList<>();
        Object ms = require(top, "methods");
        if (!(ms instanceof List<?> list) || list.isEmpty()) {
            throw fail("key 'methods': must be a non-empty list of {method: NAME, ...}");
        }
        for (int i = 0; i < list.size(); i++) {
            methods.add(method(list.get(i), "methods[" + i + "]"));
        }
        boolean keep = top.containsKey("keep") && bool(top.get("keep"), "keep");
        boolean baselines = !top.containsKey("baselines") || bool(top.get("baselines"), "baselines");
        return new RunRecipe(name, file, new RunRecipe.SuiteSpec(kind, options, dir), tasks, heldout, methods, keep, baselines);
    }

    private RunRecipe.MethodSpec method(Object o, String key) {
        Map<String, Object> m = o instanceof String s ? Map.of("method", s) : map(o, key);
        known(m, METHOD, key + ".");
        String method = string(require(m, key + ".method", "method"), key + ".method");
        if (!MergeMethods.all().containsKey(method)) {
            throw fail("key '" + key + ".method': unknown merge method '" + method + "'; known: " + MergeMethods.all().keySet());
        }
        String label = m.containsKey("label") ? string(m.get("label"), key + ".label") : null;
        Map<String, Object> params = m.containsKey("params") ? map(m.get("params"), key + ".params") : Map.of();
        Map<String, List<Object>> sweep = new LinkedHashMap<>();
        if (m.containsKey("sweep")) {
            for (Map.Entry<String, Object> e : map(m.get("sweep"), key + ".sweep").entrySet()) {
                String k = key + ".sweep." + e.getKey();
                if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                    throw fail("key '" + k + "': must be a non-empty list of values");
                }
                if (params.containsKey(e.getKey())) {
                    throw fail("key '" + k + "': also set in " + key + ".params");
                }
                sweep.put(e.getKey(), new ArrayList<>(values));
            }
        }
        List<Map<String, Object>> lwptv = new ArrayList<>();
        Object lw = m.get("lwptv");
        if (lw == null) {
            lwptv.add(null);
        } else if (lw instanceof List<?> variants) {
            for (int i = 0; i < variants.size(); i++) {
                Object v = variants.get(i);
                lwptv.add(v == null ? null : v instanceof Boolean b ? (b ? Map.of() : null)
                        : map(v, key + ".lwptv[" + i + "]"));
            }
        } else if (lw instanceof Boolean b) {
            lwptv.add(b ? Map.of() : null);
        } else {
            lwptv.add(map(lw, key + ".lwptv"));
        }
        return new RunRecipe.MethodSpec(method, label, params, sweep, lwptv);
    }

    private AmalgamException fail(String msg) {
        return new AmalgamException(where + ": " + msg);
    }

    private Object require(Map<String, Object> m, String key) {
        return require(m, key, key);
    }

    private Object require(Map<String, Object> m, String fullKey, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw fail("missing key '" + fullKey + "'");
        }
        return v;
    }

    private void known(Map<String, Object> m, Set<String> known, String prefix) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw fail("unknown key '" + prefix + k + "'; known: " + new TreeSet<>(known));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object o, String key) {
        if (!(o instanceof Map<?, ?>)) {
            throw fail("key '" + key + "': expected a mapping, got " + describe(o));
        }
        return new LinkedHashMap<>((Map<String, Object>) o);
    }

    private String string(Object o, String key) {
        if (!(o instanceof String s) || s.isBlank()) {
            throw fail("key '" + key + "': expected a non-empty string, got " + describe(o));
        }
        return s;
    }

    private boolean bool(Object o, String key) {
        if (!(o instanceof Boolean b)) {
            throw fail("key '" + key + "': expected true or false, got " + describe(o));
        }
        return b;
    }

    private List<String> strings(Object o, String key) {
        if (!(o instanceof List<?> l) || l.isEmpty()) {
            throw fail("key '" + key + "': expected a non-empty list of task names, got " + describe(o));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            String s = string(l.get(i), key + "[" + i + "]");
            if (out.contains(s)) {
                throw fail("key '" + key + "': task '" + s + "' listed twice");
            }
            out.add(s);
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "nothing" : o instanceof Map ? "a mapping" : o instanceof List ? "a list" : "'" + o + "'";
    }
}
