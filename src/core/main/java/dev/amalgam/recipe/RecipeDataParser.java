package dev.amalgam.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Reads a recipe's {@code data:} key (where each task's examples come from, for data-aware methods). The recipe
 * grammar lives in the core; the data sources (suites, folders, files) live with the data-aware methods in the
 * eval module, which provides the implementation through
 * {@code META-INF/services/dev.amalgam.recipe.RecipeDataParser}.
 */
public interface RecipeDataParser {

    /** The top-level {@code data:} node as the method's "data" parameter; bad input names {@code where} and the key. */
    Object parse(JsonNode data, String where, Path baseDir);

    /**
     * Each fine-tune's own {@code models[i].data:} block (by task name, with the key it was read under) as the
     * method's "data" parameter.
     *
     * @param models the fine-tunes' directories by task name
     * @param base   the base model's directory (its config.json says how the data is read)
     */
    Object parseModelData(java.util.Map<String, java.util.Map.Entry<JsonNode, String>> blocks,
                          java.util.Map<String, Path> models, Path base, String where, Path baseDir);

    /** The implementation on the class path; an error naming the key when there is none. */
    static RecipeDataParser get(String where) {
        for (RecipeDataParser p : ServiceLoader.load(RecipeDataParser.class, RecipeDataParser.class.getClassLoader())) {
            return p;
        }
        throw new AmalgamException(where + ": key 'data': data-aware merging needs the amalgam-eval module on the class path");
    }
}
