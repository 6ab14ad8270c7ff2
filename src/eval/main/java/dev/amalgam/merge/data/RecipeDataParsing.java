package dev.amalgam.merge.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.recipe.RecipeDataParser;

import java.nio.file.Path;

/** The recipe grammar's {@code data:} keys: the top-level one read by {@link RecipeData}, each model's by {@link TaskDataFiles}. */
public final class RecipeDataParsing implements RecipeDataParser {
    @Override
    public Object parse(JsonNode data, String where, Path baseDir) {
        return RecipeData.parse(data, where, baseDir);
    }

    @Override
    public Object parseModelData(java.util.Map<String, java.util.Map.Entry<JsonNode, String>> blocks,
                                 java.util.Map<String, Path> models, Path base, String where, Path baseDir) {
        return TaskDataFiles.parse(blocks, models, base, where, baseDir);
    }
}
