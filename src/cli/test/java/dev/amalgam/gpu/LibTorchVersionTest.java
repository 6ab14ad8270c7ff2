package dev.amalgam.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Version files as the distributions write them: pip's torch/version.py, a libtorch zip's build-version, DJL's cache name. */
class LibTorchVersionTest {

    @Test
    void pipWheelVersionPy(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
        Files.writeString(lib.getParent().resolve("version.py"), "from typing import Optional\n\n"
                + "__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n"
                + "__version__ = '2.11.0+cu130'\ndebug = False\ncuda: Optional[str] = '13.0'\n"
                + "git_version = '0123456789abcdef'\nhip: Optional[str] = None\n");
        LibTorchVersion v = LibTorchVersion.detect(lib);
        assertEquals("2.11.0", v.version());
        assertEquals("cu130", v.flavor());
    }

    @Test
    void pipWheelWithoutLocalLabelTakesTheCudaLine(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
        Files.writeString(lib.getParent().resolve("version.py"), "__version__ = '2.7.1'\ncuda: Optional[str] = '12.6'\n");
        assertEquals("cu126", LibTorchVersion.detect(lib).flavor());
        Files.writeString(lib.getParent().resolve("version.py"), "__version__ = '2.7.1'\ncuda: Optional[str] = None\n");
        assertEquals("cpu", LibTorchVersion.detect(lib).flavor());
    }

    @Test
    void libtorchZipBuildVersion(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.writeString(lib.getParent().resolve("build-version"), "2.7.1+cu128\n");
        LibTorchVersion v = LibTorchVersion.detect(lib);
        assertEquals("2.7.1", v.version());
        assertEquals("cu128", v.flavor());
    }

    @Test
    void djlCacheFolderName(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("2.7.1-20250812-cpu-linux-x86_64"));
        LibTorchVersion v = LibTorchVersion.detect(lib);
        assertEquals("2.7.1", v.version());
        assertEquals("cpu", v.flavor());
        assertEquals("cu124", LibTorchVersion.detect(Files.createDirectories(tmp.resolve("2.5.1-cu124-precxx11-linux-x86_64"))).flavor());
    }

    @Test
    void unknownFolderSaysNothing(@TempDir Path tmp) throws Exception {
        assertNull(LibTorchVersion.detect(Files.createDirectories(tmp.resolve("lib"))));
        assertNull(LibTorchVersion.parseLabel("not a version", "x"));
        assertEquals("cu130", LibTorchVersion.flavorOfCuda("13.0"));
    }
}
