package dev.amalgam.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.merge.data.MergeData;
import dev.amalgam.merge.data.MergeDataProvider;
import dev.amalgam.merge.data.SuiteDataOpener;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A merge recipe's top-level {@code data: {suite: …}} key (docs/merging.md#data-aware-methods): each task's
 * unlabeled examples come from a suite named as a run recipe names it (docs/run.md); its task names must be the
 * recipe's task names ({@code models[].name}), and the split is the method's {@code split} parameter. Parsed into a
 * plain map carried by the method's parameters, opened only when the merge runs (as the data-aware methods'
 * {@link SuiteDataOpener}).
 */
public final class RecipeSuiteData implements SuiteDataOpener {
    private static final Set<String> KEYS = Set.of("suite");

    public RecipeSuiteData() {
    }

    /** The {@code data:} node as the "data" parameter: the suite spec, the recipe's directory, where it was read. */
    public static Map<String, Object> parse(JsonNode node, String where, Path baseDir) {
        if (node == null || !node.isObject()) {
            throw new AmalgamException(where + ": data: expected {suite: {kind: ..., ...}}");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new AmalgamException(where + ": unknown key 'data." + k + "'; known: " + KEYS);
            }
        });
        JsonNode suite = node.get("suite");
        if (suite == null || !suite.isObject() || !suite.hasNonNull("kind")) {
            throw new AmalgamException(where + ": data.suite: expected {kind: ..., ...} (kinds: " + SuiteKinds.all().keySet() + ")");
        }
        Map<String, Object> options = new LinkedHashMap<>(new ObjectMapper().convertValue(suite, Map.class));
        String kind = String.valueOf(options.remove("kind"));
        if (!SuiteKinds.all().containsKey(kind)) {
            throw new AmalgamException(where + ": data.suite.kind: unknown kind '" + kind + "'; known: " + SuiteKinds.all().keySet());
        }
        SuiteKinds.check(kind, options.keySet(), where + ": data");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("suite", kind);
        out.put("options", options);
        out.put("dir", baseDir.toString());
        out.put("where", where);
        return out;
    }

    /** Opens the suite a parsed spec names and takes its {@code split}; the suite stays open with the data. */
    @Override
    public MergeData open(Map<?, ?> m, String split, String method) {
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) m.get("options");
        String where = String.valueOf(m.get("where"));
        EvaluationSuite suite = SuiteKinds.open(new RunRecipe.SuiteSpec(String.valueOf(m.get("suite")), options,
                Path.of(String.valueOf(m.get("dir")))), Path.of(System.getProperty("amalgam.home", ".")), where + ": data");
        if (!(suite instanceof MergeDataProvider p)) {
            suite.close();
            throw new AmalgamException(where + ": data.suite: the " + m.get("suite") + " suite provides no task data for "
                    + method + " (suites that do: demo-image, demo-text, text, clip-tasks)");
        }
        MergeData d = p.mergeData(split);
        return new MergeData(d.model(), d.tasks(), d.source(), suite);
    }
}
