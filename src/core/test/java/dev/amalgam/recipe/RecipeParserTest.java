package dev.amalgam.recipe;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipeParserTest {
    static final Path DIR = Path.of("/recipes");

    @Test
    void readsMergeKitTiesExample() {
        String yaml = String.join("\n",
                "merge_method: ties",
                "base_model: base",
                "models:",
                "  - model: ft/a",
                "    parameters: {density: 0.7, weight: 0.3}",
                "  - model: /abs/b",
                "    parameters:",
                "      density: 0.1",
                "parameters: {normalize: true, lambda: 1.0}",
                "dtype: float16",
                "out_dtype: bfloat16",
                "tokenizer_source: base");
        MergeRecipe r = RecipeParser.parse(yaml, DIR, "r.yaml");
        assertEquals("ties", r.method());
        assertEquals(Path.of("/recipes/base"), r.base());
        assertEquals(Path.of("/recipes/ft/a"), r.models().get(0).path());
        assertEquals("a", r.models().get(0).taskName());
        assertEquals(Path.of("/abs/b"), r.models().get(1).path());
        assertEquals(0.7, ((Number) r.models().get(0).parameters().get("density")).doubleValue());
        assertEquals(Map.of("normalize", true, "lambda", 1.0), r.parameters());
        assertEquals("bfloat16", r.outDtype());
        assertNull(r.lwptv());
        assertNull(r.scope());
    }

    @Test
    void readsAmalgamExtensions() {
        MergeRecipe r = RecipeParser.parse("merge_method: task_arithmetic\nbase_model: b\nmodels: [x, y]\n"
                + "scope: global\nseed: 7\nname: ta-lw\nlwptv: {score: energy, keep_ratio: 0.5}\n", DIR, "r.yaml");
        assertEquals(List.of("x", "y"), r.models().stream().map(MergeRecipe.ModelEntry::taskName).toList());
        assertEquals("global", r.scope());
        assertEquals(7L, r.seed());
        assertEquals("ta-lw", r.name());
        assertEquals("energy", r.lwptv().get("score"));
    }

    @Test
    void badRecipesGiveOneLineErrorsNamingTheFile() {
        String[][] cases = {
                {"merge_method: ties\nbase_model: b\n", "give exactly one of 'models' and 'slices'"},
                {"merge_method: ties\nbase_model: b\nmodels: []\n", "'models' must be a non-empty list"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\nslices: []\n", "give exactly one of 'models' and 'slices'"},
                {"merge_method: ties\nbase_model: b\nmodules: {}\n", "key 'modules'"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\ntokenizer: {source: base}\ntokenizer_source: union\n",
                        "give either 'tokenizer' or 'tokenizer_source'"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\ntokenizer: {sources: base}\n", "unknown key 'sources'"},
                {"merge_method: linear\nslices: [{sources: [{model: a, layer_range: [0, 2]}, {model: b, layer_range: [0, 3]}]}]\n",
                        "same number of layers"},
                {"merge_method: linear\nslices: [{sources: [{model: a, layer_range: [2, 2]}]}]\n", "0 <= start < end"},
                {"merge_method: linear\nslices: [{sources: [{model: a, layer_range: [0, 2]}], residual_weight: 0.5}]\n",
                        "'residual_weight' is refused"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\ndtype: int4\n", "unknown dtype 'int4'"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\nfoo: 1\n", "unknown recipe key 'foo'"},
                {"merge_method: ties\nbase_model: b\nmodels: [{model: a, params: {}}]\n", "unknown key 'params'"},
                {"merge_method: ties\nbase_model: b\nmodels: [a]\nscope: layer\n", "scope must be 'global' or 'tensor'"},
                {"merge_method: [ties\n", "invalid YAML"},
                {"merge_method: ties\nbase_model: b\nmodels: [\"a\\0b\"]\n", "is not a valid path"},
                {"merge_method: ties\nbase_model: \"b\\0\"\nmodels: [a]\n", "base_model: 'b"},
                {"- a\n- b\n", "must be a YAML mapping"},
                {"merge_method: ties\nbase_model: b\nmodels: [{model: a, parameters: {weight: [{filter: mlp, value: 1}, 2]}}]\n",
                        "a list must hold only scalars"},
                {"merge_method: ties\nbase_model: b\nmodels: [{model: a, parameters: {weight: [{filter: mlp, val: 1}]}}]\n",
                        "unknown key 'val'"},
        };
        for (String[] c : cases) {
            AmalgamException e = assertThrows(AmalgamException.class, () -> RecipeParser.parse(c[0], DIR, "bad.yaml"), c[1]);
            assertTrue(e.getMessage().startsWith("bad.yaml"), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
