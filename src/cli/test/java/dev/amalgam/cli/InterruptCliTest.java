package dev.amalgam.cli;

import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.OutputLock;
import dev.amalgam.testutil.ChildAmalgam;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.testutil.TinyCheckpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ctrl-C, SIGTERM and kill -9 during a real {@code amalgam merge} in a child JVM (slowed by a test-only
 * write delay), a second writer to the same output, and locks/temporaries left by dead processes.
 */
@Tag("slow") // child JVMs interrupted and killed
class InterruptCliTest {
    private static final int TENSORS = 24;
    private static final long DELAY_MS = 250; // × 24 tensors: a merge writes for ~6 s

    @TempDir
    static Path tmp;
    static Path base;
    static String models;
    static Map<String, String> inputsBefore;

    @BeforeAll
    static void checkpoints() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            TinyCheckpoints.Builder b = TinyCheckpoints.builder().config("{\"model_type\":\"bert\"}");
            for (int i = 0; i < TENSORS; i++) {
                b.f32(String.format("encoder.layer.%02d.weight", i), new long[] {8, 8},
                        TinyCheckpoints.randomFloats(31L * m + i, 64, 1f));
            }
            Path dir = b.writeTo(tmp.resolve("inputs").resolve(m == 0 ? "base" : "task" + m));
            if (m == 0) {
                base = dir;
            } else {
                tasks.add(dir.toString());
            }
        }
        models = String.join(",", tasks);
        inputsBefore = digests(tmp.resolve("inputs"));
    }

    @AfterAll
    static void inputsAreNeverTouched() throws Exception {
        assertEquals(inputsBefore, digests(tmp.resolve("inputs")));
    }

    private static String[] merge(Path out) {
        return merge("task_arithmetic", out);
    }

    private static String[] merge(String method, Path out) {
        List<String> args = new ArrayList<>(List.of("merge", "--method", method, "--base", base.toString(),
                "--models", models, "--out", out.toString()));
        if (method.equals("task_arithmetic")) {
            args.addAll(List.of("--param", "weight=1"));
        }
        return args.toArray(String[]::new);
    }

    private static ChildAmalgam slowMerge(String method, Path out) throws IOException {
        return ChildAmalgam.start(Files.createDirectories(tmp.resolve("logs")), DELAY_MS, merge(method, out));
    }

    private static ChildAmalgam slowMerge(Path out) throws IOException {
        return slowMerge("task_arithmetic", out);
    }

    /** EMR writes a modulated directory whose shared/ and masks/ are ShardedWriters nested in its temporary. */
    @ParameterizedTest
    @ValueSource(strings = {"task_arithmetic", "emr"})
    void ctrlCRemovesThePartialOutputAndExits130(String method) throws Exception {
        Path out = tmp.resolve("int-" + method).resolve("merged");
        try (ChildAmalgam child = slowMerge(method, out)) {
            Path temp = awaitWriting(child, out);
            child.signal("INT");
            assertEquals(130, child.waitFor(10), child.stderr());
            assertEquals(List.of("amalgam: interrupted; removed partial output " + temp), amalgamLines(child.stderr()));
            assertEquals(List.of(), listing(out.getParent()), "no output, temporary directory or lock is left");
        }
    }

    @Test
    void killMinus9LeavesATemporaryThatTheNextRunRemoves() throws Exception {
        Path out = tmp.resolve("kill").resolve("merged");
        Path temp;
        try (ChildAmalgam child = slowMerge(out)) {
            temp = awaitWriting(child, out);
            child.kill();
        }
        assertTrue(Files.isDirectory(temp), "kill -9 runs no cleanup");
        assertTrue(Files.isRegularFile(OutputLock.fileFor(out)));

        CliRunner.Result r = CliRunner.run(merge(out));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("amalgam: removed " + temp + ", left by an interrupted run"), r.err());
        assertTrue(r.err().contains("amalgam: took over the lock " + OutputLock.fileFor(out)), r.err());
        assertEquals(List.of("merged"), listing(out.getParent()));
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(TENSORS, c.names().size());
        }
    }

    @Test
    void aSecondWriterFailsAtOnceNamingTheHolder() throws Exception {
        Path out = tmp.resolve("busy").resolve("merged");
        try (ChildAmalgam child = slowMerge(out)) {
            awaitWriting(child, out);
            CliRunner.Result r = CliRunner.run(merge(out));
            assertTrue(child.isAlive(), "the second writer returned while the first still runs");
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(List.of("amalgam: error: " + out + ": in use by another amalgam process (PID " + child.pid()
                    + "; lock file " + OutputLock.fileFor(out) + ")"), r.err().lines().toList());

            child.signal("TERM");
            assertEquals(143, child.waitFor(10), child.stderr());
            assertEquals(1, amalgamLines(child.stderr()).size(), child.stderr());
            assertEquals(List.of(), listing(out.getParent()));
        }
    }

    @Test
    void aLockOfADeadProcessIsTakenOver() throws Exception {
        Path out = tmp.resolve("stale").resolve("merged");
        Files.createDirectories(out.getParent());
        long dead = deadPid();
        Files.writeString(OutputLock.fileFor(out), dead + "\n");
        CliRunner.Result r = CliRunner.run(merge(out));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("took over the lock " + OutputLock.fileFor(out) + " (PID " + dead + " is gone)"), r.err());
        assertEquals(List.of("merged"), listing(out.getParent()), "the lock is released at the end");
    }

    @Test
    void aRunFolderInUseIsRefusedBeforeAnyWork() throws Exception {
        Path dir = tmp.resolve("runs").resolve("busy");
        Path recipe = TinyCheckpoints.writeString(tmp.resolve("busy.yaml"), """
                name: busy
                suite: {kind: text, pretrained: p, data: d, models: {a: m/a, b: m/b}}
                methods: [task_arithmetic]
                """);
        Process holder = new ProcessBuilder("sleep", "30").start();
        try {
            Files.createDirectories(dir.getParent());
            Files.writeString(OutputLock.fileFor(dir), holder.pid() + "\n");
            CliRunner.Result r = CliRunner.run("run", recipe.toString(), "--out", dir.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(List.of("amalgam: error: " + dir + ": in use by another amalgam process (PID " + holder.pid()
                    + "; lock file " + OutputLock.fileFor(dir) + ")"), r.err().lines().toList());
            assertFalse(Files.exists(dir));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /** The child's temporary output once its first shard exists (so the signal lands mid-write). */
    private static Path awaitWriting(ChildAmalgam child, Path out) throws Exception {
        String prefix = "." + out.getFileName() + ".amalgam-tmp-" + child.pid() + "-";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("child exited early:\n" + child.stderr());
            }
            if (Files.isDirectory(out.getParent())) {
                try (Stream<Path> s = Files.list(out.getParent())) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().startsWith(prefix) && writing(p)) {
                            return p;
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no partial output appeared; stderr:\n" + child.stderr());
    }

    private static boolean writing(Path temp) throws IOException {
        try (Stream<Path> s = Files.walk(temp)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".safetensors"));
        }
    }

    private static List<String> amalgamLines(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("amalgam:")).toList();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return m;
    }
}
