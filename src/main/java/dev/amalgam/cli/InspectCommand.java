package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.CheckpointSummary;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code amalgam inspect PATH [--json]}: reads headers only, never tensor data. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show format, dtypes, parameter count, layer groups, shards and metadata of a checkpoint.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "HF model directory, .safetensors file or index.json")
    Path path;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode s;
        try (Checkpoint c = Checkpoints.open(path)) {
            s = CheckpointSummary.of(c);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        } else {
            printText(s, out);
        }
        out.flush();
        return 0;
    }

    private static void printText(ObjectNode s, PrintWriter out) {
        out.printf(Locale.ROOT, "%s%n", s.get("path").asText());
        out.printf(Locale.ROOT, "  format      %s%n", s.get("format").asText());
        out.printf(Locale.ROOT, "  tensors     %d%n", s.get("tensors").asLong());
        out.printf(Locale.ROOT, "  parameters  %,d (%s)%n", s.get("parameters").asLong(),
                ByteSizes.format(s.get("bytes").asLong()));
        JsonNode cfg = s.get("config");
        if (cfg != null && !cfg.isNull()) {
            out.printf(Locale.ROOT, "  config      %s%n", cfg);
        }
        out.println("dtypes:");
        s.get("dtypes").fields().forEachRemaining(e -> out.printf(Locale.ROOT, "  %-5s %6d tensors %,15d params%n",
                e.getKey(), e.getValue().get("tensors").asLong(), e.getValue().get("parameters").asLong()));
        out.println("layer groups:");
        for (JsonNode g : s.get("groups")) {
            out.printf(Locale.ROOT, "  %-48s %4d tensors %,15d params%n", g.get("group").asText(),
                    g.get("tensors").asLong(), g.get("parameters").asLong());
        }
        out.println("shards:");
        s.get("shards").fields().forEachRemaining(e -> out.printf(Locale.ROOT, "  %-40s %6d tensors %s%n",
                e.getKey(), e.getValue().get("tensors").asLong(), ByteSizes.format(e.getValue().get("bytes").asLong())));
        if (s.get("metadata").size() > 0) {
            out.println("metadata:");
            s.get("metadata").fields().forEachRemaining(e -> out.printf(Locale.ROOT, "  %s = %s%n", e.getKey(),
                    e.getValue().asText()));
        }
        if (s.get("aux_files").size() > 0) {
            out.println("side files: " + s.get("aux_files"));
        }
    }
}
