package dev.amalgam.demo.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.io.Json;
import dev.amalgam.model.clip.ClipCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two miniature zoos built in separate JVMs under constant GC pressure ({@link MiniZooBuild}), one of
 * them told to use two libtorch/OpenMP/MKL threads through the environment and DJL's property, must
 * be bit-identical: every checkpoint and data file has the same SHA-256. Before the autograd scalar
 * fix (Ops#scalar) three such builds gave three different pretrained checkpoints.
 */
@Tag("slow") // two zoo builds in separate JVMs
class ImageZooReproducibilityTest {

    @BeforeAll
    static void setup() {
        PackagedImageData.present();
    }

    @Test
    void separateJvmsUnderGcPressureAndOtherThreadSettingsBuildIdenticalZoos(@TempDir Path tmp) throws Exception {
        Process a = start(tmp.resolve("a"), List.of(), Map.of());
        Process b = start(tmp.resolve("b"), List.of("-Dai.djl.pytorch.num_threads=2"),
                Map.of("OMP_NUM_THREADS", "2", "MKL_NUM_THREADS", "2"));
        finish(a, tmp.resolve("a"));
        finish(b, tmp.resolve("b"));
        JsonNode ma = Json.readFile(tmp.resolve("a").resolve(ImageZoo.MANIFEST));
        JsonNode mb = Json.readFile(tmp.resolve("b").resolve(ImageZoo.MANIFEST));
        assertEquals(ma.path("data").toString(), mb.path("data").toString());
        for (String m : new String[] {"pretrained", "fashion", "font_digits", "font_letters", "shapes", "multitask"}) {
            String sha = ClipCheckpoints.sha256(tmp.resolve("a").resolve(m).resolve("model.safetensors"));
            assertEquals(ma.path("models").path(m).path("sha256").asText(), sha, m + ": manifest records the file");
            assertEquals(sha, ClipCheckpoints.sha256(tmp.resolve("b").resolve(m).resolve("model.safetensors")), m);
        }
        assertEquals(1, ma.path("torch_intra_op_threads").asInt());
        assertEquals(1, mb.path("torch_intra_op_threads").asInt());
    }

    private static Process start(Path zoo, List<String> jvmArgs, Map<String, String> env) throws IOException {
        Files.createDirectories(zoo);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MiniZooBuild.class.getName(), zoo.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(zoo.resolveSibling(zoo.getFileName() + ".log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void finish(Process p, Path zoo) throws Exception {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child build timed out");
        Path log = zoo.resolveSibling(zoo.getFileName() + ".log");
        assertEquals(0, p.exitValue(), () -> "child build failed: " + readQuietly(log));
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
