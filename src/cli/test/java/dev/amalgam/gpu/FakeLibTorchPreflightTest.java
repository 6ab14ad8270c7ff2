package dev.amalgam.gpu;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The preflight against real shared libraries built with gcc: a "JNI" linked against a libtorch that has
 * two functions, checked by the real {@code ldd -r} against a folder whose libtorch lacks one of them
 * (what a JNI built for another torch meets), and against one that has both. Skipped where gcc or ldd is
 * missing.
 */
class FakeLibTorchPreflightTest {
    @TempDir
    static Path tmp;
    static Path matching;
    static Path older;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(runs("gcc", "--version") && runs("ldd", "--version"), "gcc and ldd are needed");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("torch_full.c"), "int at_fn_a(void) { return 1; }\nint at_fn_b(void) { return 2; }\n");
        Files.writeString(src.resolve("torch_old.c"), "int at_fn_a(void) { return 1; }\n");
        Files.writeString(src.resolve("jni.c"), "extern int at_fn_a(void);\nextern int at_fn_b(void);\n"
                + "int djl_call(void) { return at_fn_a() + at_fn_b(); }\n");
        matching = Files.createDirectories(tmp.resolve("matching/torch/lib"));
        older = Files.createDirectories(tmp.resolve("older/torch/lib"));
        gcc("-shared", "-fPIC", "-Wl,-soname,libtorch.so", "-o", matching.resolve("libtorch.so").toString(),
                src.resolve("torch_full.c").toString());
        gcc("-shared", "-fPIC", "-Wl,-soname,libtorch.so", "-o", older.resolve("libtorch.so").toString(),
                src.resolve("torch_old.c").toString());
        gcc("-shared", "-fPIC", "-o", matching.resolve("libdjl_torch.so").toString(), src.resolve("jni.c").toString(),
                "-L" + matching, "-ltorch", "-Wl,-rpath,$ORIGIN");
        Files.copy(matching.resolve("libdjl_torch.so"), older.resolve("libdjl_torch.so"), StandardCopyOption.REPLACE_EXISTING);
        for (Path lib : List.of(matching, older)) {
            Files.writeString(lib.getParent().resolve("version.py"), "__version__ = '2.11.0+cu130'\ncuda: Optional[str] = '13.0'\n");
        }
    }

    @Test
    void matchingLibtorchPasses() {
        NativePreflight.Result r = NativePreflight.check(Map.of("PYTORCH_LIBRARY_PATH", matching.toString()), tmp, "0.35.1",
                LddReport::run);
        assertEquals(matching.resolve("libdjl_torch.so").toString(), r.jni());
    }

    @Test
    void libtorchLackingASymbolIsRefusedNamingIt() {
        AmalgamException e = org.junit.jupiter.api.Assertions.assertThrows(AmalgamException.class, () ->
                NativePreflight.check(Map.of("PYTORCH_LIBRARY_PATH", older.toString()), tmp, "0.35.1", LddReport::run));
        assertTrue(e.getMessage().contains("1 undefined symbol(s) against it, first at_fn_b"), e.getMessage());
    }

    @Test
    void theCliStopsBeforeLoadingWithOneLineAndExit2() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "dev.amalgam.cli.Main", "inspect", tmp.toString());
        pb.environment().put("PYTORCH_LIBRARY_PATH", older.toString());
        pb.environment().remove("PYTORCH_VERSION");
        pb.environment().remove("PYTORCH_FLAVOR");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        List<String> lines = new ArrayList<>(err.strip().lines().toList());
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("amalgam: error: preflight: the DJL JNI library "), err);
        assertTrue(lines.get(0).contains("at_fn_b"), err);
    }

    private static void gcc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gcc failed: " + out);
        }
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
