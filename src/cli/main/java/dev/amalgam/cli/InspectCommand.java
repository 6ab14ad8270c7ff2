package dev.amalgam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.CheckpointSummary;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.Json;
import dev.amalgam.io.ModulatedDirectory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code amalgam inspect PATH [--json]}: reads headers only, never tensor data. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show format, dtypes, parameter count, layer groups, shards and metadata of a checkpoint.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "HF model directory, .safetensors file, index.json, or an EMR/TALL merge output")
    Path path;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (ModulatedDirectory.is(path)) {
            ObjectNode s = modulated(ModulatedDirectory.read(path));
            if (json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            } else {
                printModulated(s, out);
            }
            out.flush();
            return 0;
        }
        ObjectNode s;
        try (Checkpoint c = Checkpoints.open(path)) {
            s = CheckpointSummary.of(c);
        }
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        } else {
            printText(s, out);
        }
        out.flush();
        return 0;
    }

    /** An EMR/TALL output: method, base, tasks with scales and masks, the shared tensors, what to run. */
    static ObjectNode modulated(ModulatedDirectory m) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("path", m.dir().toString());
        root.put("format", "modulated");
        root.put("what", "EMR/TALL merge output: a shared delta and one bit mask per task, not a model");
        root.put("method", m.method());
        root.put("description", m.description());
        root.put("base", m.base().toString());
        ObjectNode shared;
        try (Checkpoint c = Checkpoints.open(m.dir().resolve("shared"))) {
            shared = CheckpointSummary.of(c);
        }
        root.put("tensors", shared.get("tensors").asLong());
        root.put("parameters", shared.get("parameters").asLong());
        root.put("bytes", shared.get("bytes").asLong());
        root.set("dtypes", shared.get("dtypes"));
        root.set("groups", shared.get("groups"));
        ArrayNode tasks = root.putArray("tasks");
        for (int i = 0; i < m.tasks().size(); i++) {
            String t = m.tasks().get(i);
            ObjectNode o = tasks.addObject();
            o.put("name", t);
            o.put("scale", m.scales()[i]);
            Path maskDir = m.dir().resolve("masks").resolve(t);
            if (Files.isDirectory(maskDir)) {
                try (Checkpoint c = Checkpoints.open(maskDir)) {
                    ObjectNode mask = CheckpointSummary.of(c);
                    o.put("mask_tensors", mask.get("tensors").asLong());
                    o.put("mask_bytes", mask.get("bytes").asLong());
                }
            } else {
                o.putNull("mask_tensors");
            }
            o.put("head", Files.isDirectory(m.dir().resolve(Checkpoints.HEADS_DIR).resolve(t))
                    ? Checkpoints.HEADS_DIR + "/" + t : null);
        }
        ArrayNode side = root.putArray("side_files");
        try (Stream<Path> files = Files.list(m.dir())) {
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(ModulatedDirectory.MANIFEST)).sorted().forEach(side::add);
        } catch (java.io.IOException e) {
            throw new dev.amalgam.AmalgamException(m.dir() + ": cannot list (" + e.getMessage() + ")");
        }
        root.put("materialize", m.materializeCommand());
        return root;
    }

    private static void printModulated(ObjectNode s, PrintWriter out) {
        out.printf(Locale.ROOT, "%s%n", s.get("path").asText());
        out.printf(Locale.ROOT, "  format      modulated (%s)%n", s.get("what").asText());
        out.printf(Locale.ROOT, "  method      %s%s%n", s.get("method").asText(),
                s.get("description").asText().isEmpty() ? "" : " — " + s.get("description").asText());
        out.printf(Locale.ROOT, "  base        %s%n", s.get("base").asText());
        out.printf(Locale.ROOT, "  tensors     %d shared, %,d parameters (%s)%n", s.get("tensors").asLong(),
                s.get("parameters").asLong(), ByteSizes.format(s.get("bytes").asLong()));
        out.printf(Locale.ROOT, "tasks (%d):%n", s.get("tasks").size());
        for (JsonNode t : s.get("tasks")) {
            out.printf(Locale.ROOT, "  %-24s scale %.6g  mask %s tensors %s%s%n", t.get("name").asText(),
                    t.get("scale").asDouble(), t.get("mask_tensors").isNull() ? "missing" : t.get("mask_tensors").asText(),
                    t.get("mask_tensors").isNull() ? "" : ByteSizes.format(t.get("mask_bytes").asLong()),
                    t.get("head").isNull() ? "" : "  head " + t.get("head").asText());
        }
        out.println("layer groups (shared delta):");
        for (JsonNode g : s.get("groups")) {
            out.printf(Locale.ROOT, "  %-48s %4d tensors %,15d params%n", g.get("group").asText(),
                    g.get("tensors").asLong(), g.get("parameters").asLong());
        }
        if (s.get("side_files").size() > 0) {
            out.println("side files: " + s.get("side_files"));
        }
        out.println("not a model: write one task's model with");
        out.println("  " + s.get("materialize").asText());
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
        if (s.get("head_files").size() > 0) {
            out.println("head files: " + s.get("head_files"));
        }
    }
}
