package dev.amalgam.gpu;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preflight's decisions over fake libtorch folders, with {@code ldd} stubbed: which JNI it picks (DJL
 * 0.35.1's order, docs/gpu.md#preflight), and the one line it refuses with.
 */
class NativePreflightTest {
    private static final String CLEAN = "\tlibc10.so => /x/libc10.so (0x1)\n";

    private static Path pipTorch(Path tmp, String label, String cuda) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
        Files.writeString(lib.getParent().resolve("version.py"), "__version__ = '" + label + "'\ncuda: Optional[str] = "
                + (cuda == null ? "None" : "'" + cuda + "'") + "\n");
        Files.createFile(lib.resolve("libtorch.so"));
        if (cuda != null) {
            Files.createFile(lib.resolve("libtorch_cuda.so"));
        }
        return lib;
    }

    private static Map<String, String> env(Path lib) {
        Map<String, String> env = new HashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", lib.toString());
        return env;
    }

    @Test
    void nothingToCheckWithoutPytorchLibraryPath(@TempDir Path tmp) {
        assertNull(NativePreflight.check(Map.of(), tmp, "0.35.1", (a, b) -> {
            throw new AssertionError("ldd must not run");
        }));
    }

    @Test
    void jniInTheFolderIsCheckedAndVersionAndFlavorAreFilledIn(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Path jni = Files.createFile(lib.resolve("libdjl_torch.so"));
        Path[] seen = new Path[2];
        NativePreflight.Result r = NativePreflight.check(env(lib), tmp.resolve("cache"), "0.35.1", (f, d) -> {
            seen[0] = f;
            seen[1] = d;
            return CLEAN;
        });
        assertEquals("2.11.0", r.version());
        assertEquals("cu130", r.flavor());
        assertEquals(jni, seen[0]);
        assertEquals(lib.toAbsolutePath(), seen[1]);
    }

    @Test
    void versionedJniInTheFolderWinsThenTheCacheIsTried(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Path cache = tmp.resolve("cache");
        Path cached = Files.createDirectories(cache.resolve("2.11.0-cu130-linux-x86_64")).resolve("0.35.1-libdjl_torch.so");
        Files.createFile(cached);
        assertEquals(cached.toString(), NativePreflight.check(env(lib), cache, "0.35.1", (f, d) -> CLEAN).jni());
        Path versioned = Files.createFile(lib.resolve("0.35.1-libdjl_torch.so"));
        Files.createFile(lib.resolve("libdjl_torch.so"));
        assertEquals(versioned.toString(), NativePreflight.check(env(lib), cache, "0.35.1", (f, d) -> CLEAN).jni());
    }

    @Test
    void undefinedSymbolIsOneLineNamingTheSymbolAndTheFix(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Files.createFile(lib.resolve("libdjl_torch.so"));
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env(lib), tmp, "0.35.1",
                (f, d) -> "undefined symbol: _ZN2at4_ops10fft_rfftn4callE\t(" + f + ")\n"));
        assertTrue(e.getMessage().contains("_ZN2at4_ops10fft_rfftn4callE"), e.getMessage());
        assertTrue(e.getMessage().contains("src/scripts/gpu-kit/build-jni.sh"), e.getMessage());
        assertTrue(e.getMessage().contains("PyTorch 2.11.0, cu130"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void missingLibraryIsNamed(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Files.createFile(lib.resolve("libdjl_torch.so"));
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env(lib), tmp, "0.35.1",
                (f, d) -> "\tlibcudart.so.12 => not found\n"));
        assertTrue(e.getMessage().contains("needs libcudart.so.12"), e.getMessage());
    }

    @Test
    void declaredVersionMustMatchTheFolder(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Map<String, String> env = env(lib);
        env.put("PYTORCH_VERSION", "2.7.1");
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env, tmp, "0.35.1", (f, d) -> CLEAN));
        assertEquals("preflight: PYTORCH_VERSION=2.7.1 but the libtorch in " + lib.toAbsolutePath() + " is 2.11.0 ("
                + lib.getParent().resolve("version.py") + "): set PYTORCH_VERSION=2.11.0", e.getMessage());
        env.put("PYTORCH_VERSION", "2.11.0+cu130");
        Files.createFile(lib.resolve("libdjl_torch.so"));
        assertEquals("2.11.0+cu130", NativePreflight.check(env, tmp, "0.35.1", (f, d) -> CLEAN).version());
    }

    @Test
    void cpuFlavorOnACudaBuildIsRefused(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        Map<String, String> env = env(lib);
        env.put("PYTORCH_FLAVOR", "cpu");
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env, tmp, "0.35.1", (f, d) -> CLEAN));
        assertTrue(e.getMessage().endsWith("set PYTORCH_FLAVOR=cu130"), e.getMessage());
    }

    @Test
    void noJniForThisTorchSaysWhereItLookedAndHowToBuildOne(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.11.0+cu130", "13.0");
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env(lib), tmp.resolve("cache"),
                "0.35.1", (f, d) -> CLEAN));
        assertTrue(e.getMessage().startsWith("preflight: no DJL JNI library for PyTorch 2.11.0 (cu130)"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("cache/2.11.0-cu130-linux-x86_64/0.35.1-libdjl_torch.so").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("the pytorch-jni jar is for 2.7.1"), e.getMessage());
    }

    @Test
    void theJarsJniServesItsOwnTorchVersion(@TempDir Path tmp) throws Exception {
        Path lib = pipTorch(tmp, "2.7.1+cpu", null);
        Path[] seen = new Path[1];
        NativePreflight.Result r = NativePreflight.check(env(lib), tmp.resolve("cache"), "0.35.1", (f, d) -> {
            seen[0] = f;
            return CLEAN;
        });
        assertEquals("jar:jnilib/linux-x86_64/cpu/libdjl_torch.so", r.jni());
        assertTrue(Files.notExists(seen[0]), "the extracted copy is removed after the check");
    }

    @Test
    void folderWithoutLibtorchAndUnknownVersionAreRefused(@TempDir Path tmp) throws Exception {
        AmalgamException e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env(tmp), tmp, "0.35.1",
                (f, d) -> CLEAN));
        assertTrue(e.getMessage().contains("has no libtorch.so"), e.getMessage());
        Path bare = Files.createDirectories(tmp.resolve("lib"));
        Files.createFile(bare.resolve("libtorch.so"));
        e = assertThrows(AmalgamException.class, () -> NativePreflight.check(env(bare), tmp, "0.35.1", (f, d) -> CLEAN));
        assertTrue(e.getMessage().contains("set PYTORCH_VERSION"), e.getMessage());
    }
}
