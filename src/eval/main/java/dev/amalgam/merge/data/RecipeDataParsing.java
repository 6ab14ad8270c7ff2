package dev.amalgam.merge.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.recipe.RecipeDataParser;

import java.nio.file.Path;

/** The recipe grammar's {@code data:} key, read by {@link RecipeData}. */
public final class RecipeDataParsing implements RecipeDataParser {
    @Override
    public Object parse(JsonNode data, String where, Path baseDir) {
        return RecipeData.parse(data, where, baseDir);
    }
}
