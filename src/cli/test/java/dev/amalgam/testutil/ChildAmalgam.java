package dev.amalgam.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code amalgam} in a child JVM on the test classpath, so tests can signal or kill it. Each tensor
 * write sleeps {@code writeDelayMillis} (a test-only property of ShardedWriter), leaving time to
 * interrupt it mid-write; stderr goes to a file.
 */
public final class ChildAmalgam implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private ChildAmalgam(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    public static ChildAmalgam start(Path workDir, long writeDelayMillis, String... args) {
        List<String> cmd = new ArrayList<>();
        if (sigintIgnored()) {
            // a shell started us as a background job: SIGINT would stay ignored in the child too
            cmd.addAll(List.of("env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Damalgam.test.writeDelayMillis=" + writeDelayMillis,
                "-cp", System.getProperty("java.class.path"), "dev.amalgam.cli.Main"));
        cmd.addAll(List.of(args));
        try {
            Path err = Files.createTempFile(workDir, "child-", ".stderr");
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            return new ChildAmalgam(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: assume the default disposition
        }
        return false;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (INT, TERM) with kill(1). */
    public void signal(String name) {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, then waits until the process is reaped. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** The exit code; fails if the process runs longer than {@code seconds}. */
    public int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("amalgam child still running after " + seconds + " s; stderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
