package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvalReportJsonTest {

    @Test
    void writesFusionBenchShapeAndReadsItBack(@TempDir Path dir) throws IOException {
        Map<String, TaskMetrics> r = new LinkedHashMap<>();
        r.put("mnist", new TaskMetrics(0.9, 0.3, 100));
        r.put("svhn", new TaskMetrics(0.5, 1.1, 50));
        Path f = dir.resolve("report.json");
        EvalReportJson.write(r, Map.of("trainable_params", 87456000L), f);
        JsonNode root = new ObjectMapper().readTree(f.toFile());
        assertEquals(0.7, root.get("average").get("accuracy").asDouble(), 1e-12); // (0.9 + 0.5) / 2
        assertEquals(0.7, root.get("average").get("loss").asDouble(), 1e-12);     // (0.3 + 1.1) / 2
        assertEquals(87456000L, root.get("model_info").get("trainable_params").asLong());
        assertEquals(r, EvalReportJson.read(f));

        // a FusionBench-style file without example counts
        Files.writeString(dir.resolve("fb.json"), "{\"sun397\": {\"accuracy\": 0.632, \"loss\": 1.5},"
                + " \"average\": {\"accuracy\": 0.632, \"loss\": 1.5}}");
        assertEquals(new TaskMetrics(0.632, 1.5, -1), EvalReportJson.read(dir.resolve("fb.json")).get("sun397"));
        Files.writeString(dir.resolve("bad.json"), "{\"x\": {\"loss\": 1}}");
        assertThrows(AmalgamException.class, () -> EvalReportJson.read(dir.resolve("bad.json")));
    }
}
