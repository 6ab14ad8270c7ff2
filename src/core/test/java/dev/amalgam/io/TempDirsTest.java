package dev.amalgam.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TempDirsTest {
    @TempDir
    Path tmp;

    private static Set<PosixFilePermission> perms(Path p) throws Exception {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void outputsHaveThePermissionsOfPlainNewDirectoriesAndFiles() throws Exception {
        Set<PosixFilePermission> dir = perms(Files.createDirectory(tmp.resolve("plain-dir")));
        Set<PosixFilePermission> file = perms(Files.createFile(tmp.resolve("plain-file")));
        Path out = tmp.resolve("out");
        TensorInfo t = new TensorInfo("w", DType.F32, new long[] {2});
        try (ShardedWriter w = new ShardedWriter(out, List.of(t), Long.MAX_VALUE, Map.of(), List.of())) {
            Path temp = listing(tmp).stream().filter(n -> n.startsWith(".out.amalgam-tmp-")).map(tmp::resolve)
                    .findFirst().orElseThrow();
            assertEquals(dir, perms(temp), "not the 0700 of Files.createTempDirectory");
            w.write("w", ByteBuffer.allocate(8));
            w.writeFile("config.json", "{}".getBytes());
            w.commit();
        }
        assertEquals(dir, perms(out));
        assertEquals(file, perms(out.resolve(ShardedWriter.SINGLE_FILE)));
        assertEquals(file, perms(out.resolve("config.json")));
        Path cell = tmp.resolve("cell.json");
        AtomicFiles.write(cell, "{}".getBytes());
        assertEquals(file, perms(cell));
    }

    @Test
    void sweepRemovesOnlyAmalgamTemporariesOfDeadProcesses() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long dead = done.pid();
        long self = ProcessHandle.current().pid();
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Path input = Files.createDirectories(tmp.resolve("input"));
            Files.writeString(input.resolve("model.safetensors"), "weights");
            Files.writeString(Files.createDirectories(tmp.resolve(".a.amalgam-tmp-" + dead + "-0123abcd")).resolve("x"), "x");
            Files.writeString(tmp.resolve(".cell.json.amalgam-tmp-" + dead + "-89abcdef"), "half a cell");
            Files.createDirectory(tmp.resolve(".b.amalgam-tmp-" + self + "-0badc0de")); // same PID, an earlier process
            Files.createDirectory(tmp.resolve(".c.amalgam-tmp-" + sleeper.pid() + "-00000000")); // owner alive
            Files.createDirectory(tmp.resolve(".d.amalgam-tmp-" + dead)); // not Amalgam's pattern
            Files.createDirectory(tmp.resolve(".e.amalgam-tmp-" + dead + "-NOTHEX00"));
            Files.createSymbolicLink(tmp.resolve(".f.amalgam-tmp-" + dead + "-0123abcd"), input); // never followed
            Path mine = TempDirs.create(tmp.resolve("g"));
            try {
                TempDirs.sweep(tmp);
                assertEquals(List.of(".c.amalgam-tmp-" + sleeper.pid() + "-00000000", ".d.amalgam-tmp-" + dead,
                        ".e.amalgam-tmp-" + dead + "-NOTHEX00", ".f.amalgam-tmp-" + dead + "-0123abcd",
                        mine.getFileName().toString(), "input"), listing(tmp));
                assertEquals("weights", Files.readString(input.resolve("model.safetensors")));
            } finally {
                TempDirs.discard(mine);
            }
            assertTrue(Files.notExists(mine));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }
}
