package dev.amalgam.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An EMR/TALL merge output (written by {@code dev.amalgam.merge.ModulatedSink}): not a model but
 * {@code modulated.json} + a shared delta ({@code shared/}) + one bit mask per task ({@code masks/<task>/}),
 * from which {@code amalgam materialize DIR --task T --out OUT} writes task T's model. Commands that need
 * a model recognise the directory by its manifest and say so in one line ({@link #notAModel}).
 *
 * @param description the method with its hyperparameters
 * @param base        the base checkpoint the task models are rebuilt on
 * @param scales      per-task rescaling factor
 */
public record ModulatedDirectory(Path dir, String method, String description, Path base, List<String> tasks,
                                 double[] scales) {
    public static final String MANIFEST = "modulated.json";

    /** Whether {@code path} is a directory holding {@value #MANIFEST}. */
    public static boolean is(Path path) {
        return path != null && Files.isDirectory(path) && Files.isRegularFile(path.resolve(MANIFEST));
    }

    public static ModulatedDirectory read(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new AmalgamException(dir + ": not a modulated merge output (no " + MANIFEST + ")");
        }
        JsonNode m = Json.readFile(manifest);
        List<String> tasks = new ArrayList<>();
        m.path("tasks").forEach(t -> tasks.add(t.asText()));
        double[] scales = new double[tasks.size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = m.path("scales").path(i).asDouble(Double.NaN);
        }
        return new ModulatedDirectory(dir, m.path("method").asText("?"), m.path("description").asText(""),
                Path.of(m.path("base").asText("")), List.copyOf(tasks), scales);
    }

    /** Throws {@link #notAModel()} when {@code path} is a modulated directory; does nothing otherwise. */
    public static void refuse(Path path) {
        if (is(path)) {
            throw read(path).notAModel();
        }
    }

    /** The command that writes one task's model. */
    public String materializeCommand() {
        String task = tasks.isEmpty() ? "TASK" : tasks.size() == 1 ? tasks.get(0) : "<" + String.join("|", tasks) + ">";
        return "amalgam materialize " + dir + " --task " + task + " --out OUT";
    }

    /** One line: what the directory is and what to run. */
    public AmalgamException notAModel() {
        return new AmalgamException(dir + ": an EMR/TALL merge output (method " + method + ", tasks " + String.join(", ", tasks)
                + "): a shared delta and one mask per task, not a model; write one task's model with '"
                + materializeCommand() + "' and use that directory");
    }
}
