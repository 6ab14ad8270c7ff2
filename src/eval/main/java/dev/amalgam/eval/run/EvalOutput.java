package dev.amalgam.eval.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.report.MarkdownTable;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes an LM metric table as {@code <name>.csv} and {@code <name>.md} (four decimals). */
public final class EvalOutput {
    private EvalOutput() {
    }

    public static List<Path> write(Table t, String title, Path dir) {
        try {
            Files.createDirectories(dir);
            Path csv = dir.resolve(t.name() + ".csv");
            t.write().csv(csv.toFile());
            Path md = dir.resolve(t.name() + ".md");
            Files.writeString(md, "# " + title + "\n\n" + MarkdownTable.render(t, false), StandardCharsets.UTF_8);
            return List.of(csv, md);
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot write results (" + e.getMessage() + ")");
        }
    }
}
