package dev.amalgam.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.merge.data.TaskDataFiles;
import dev.amalgam.recipe.RecipeDataParser;

import java.nio.file.Path;

/** The recipe grammar's {@code data:} keys: the top-level one read by {@link RecipeSuiteData}, each model's by {@link TaskDataFiles}. */
public final class RecipeDataParsing implements RecipeDataParser {
    @Override
    public Object parse(JsonNode data, String where, Path baseDir) {
        return RecipeSuiteData.parse(data, where, baseDir);
    }

    @Override
    public Object parseModelData(java.util.Map<String, java.util.Map.Entry<JsonNode, String>> blocks,
                                 java.util.Map<String, Path> models, Path base, String where, Path baseDir) {
        return TaskDataFiles.parse(blocks, models, base, where, baseDir);
    }
}
