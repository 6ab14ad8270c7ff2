package dev.amalgam.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.AtomicFiles;
import dev.amalgam.io.Json;
import dev.amalgam.report.OutcomesFile;
import dev.amalgam.report.Saliency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finished cells as {@code <dir>/<id>.json}, written atomically (temp file then move), so a run
 * killed mid-cell leaves no half result and the next run recomputes only what is missing. Their per-example
 * outcomes go next to it, to {@code outcomes/<id>.bin} beside {@code <dir>} ({@link OutcomesFile}), written first,
 * so a cell's JSON never exists without them.
 */
public final class CellStore {
    private final Path dir;

    public CellStore(Path dir) {
        this.dir = dir;
    }

    public Path file(Cell c) {
        return dir.resolve(c.id() + ".json");
    }

    /** {@code <run>/outcomes/<id>.bin}. */
    public Path outcomesFile(Cell c) {
        return dir.resolveSibling("outcomes").resolve(c.id() + ".bin");
    }

    public boolean has(Cell c) {
        return Files.isRegularFile(file(c));
    }

    public void write(CellResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Cell c = r.cell();
        m.put("id", c.id());
        m.put("kind", c.kind().name());
        m.put("label", r.label());
        m.put("method", c.method());
        m.put("params", c.params());
        m.put("lwptv", c.lwptv());
        m.put("id_accuracy", r.id());
        m.put("ood_accuracy", r.ood());
        m.put("unseen_accuracy", r.unseen());
        m.put("examples", r.examples());
        m.put("seconds", r.seconds());
        if (r.saliency() != null) {
            m.put("saliency", Map.of("tasks", r.saliency().tasks(), "layers", r.saliency().layers(),
                    "values", r.saliency().values()));
        }
        if (!r.outcomes().isEmpty()) {
            OutcomesFile.write(outcomesFile(c), r.outcomes());
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file(c), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        } catch (IOException e) {
            throw new AmalgamException(file(c) + ": cannot write cell result (" + e.getMessage() + ")");
        }
    }

    /** The stored result of {@code c} (its identity comes from the recipe; the file holds the measurements). */
    public CellResult read(Cell c) {
        JsonNode n = Json.readFile(file(c));
        Saliency s = null;
        JsonNode sal = n.path("saliency");
        if (sal.isObject()) {
            List<String> tasks = strings(sal.path("tasks"));
            List<String> layers = strings(sal.path("layers"));
            double[][] v = new double[tasks.size()][layers.size()];
            for (int t = 0; t < v.length; t++) {
                for (int l = 0; l < layers.size(); l++) {
                    v[t][l] = number(sal.path("values").path(t).path(l));
                }
            }
            s = new Saliency(tasks, layers, v);
        }
        String label = c.kind() == dev.amalgam.report.ResultTable.Kind.PRETRAINED ? n.path("label").asText(c.label()) : c.label();
        return new CellResult(c, label, scores(n.path("id_accuracy")), scores(n.path("ood_accuracy")),
                scores(n.path("unseen_accuracy")), n.path("seconds").asDouble(), s, counts(n.path("examples")),
                OutcomesFile.read(outcomesFile(c)));
    }

    private static Map<String, Double> scores(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), number(e.getValue())));
        return m;
    }

    private static Map<String, Integer> counts(JsonNode n) {
        Map<String, Integer> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asInt()));
        return m;
    }

    /** Jackson writes NaN as the string "NaN" (non-numeric numbers allowed) or a number; read both. */
    private static double number(JsonNode v) {
        return v.isNumber() ? v.asDouble() : v.isTextual() ? Double.parseDouble(v.asText()) : Double.NaN;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
