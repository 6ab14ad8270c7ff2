package dev.amalgam.testutil;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The failure criteria shared by the fuzz tests (docs/fuzzing.md). A reader given arbitrary bytes may
 * return or throw {@link AmalgamException}, the one-line user error; anything else fails the fuzz test:
 * <ul>
 *   <li>any other exception or error (a programming error such as an index or buffer overrun: the
 *       readers must check every offset and size against the file before reading);</li>
 *   <li>an AmalgamException whose message is blank or not one line of text (any control character but
 *       tab counts: line breaks, and escape sequences that would reach the terminal), or that wraps a
 *       programming error (a catch-all turning an overrun into a "user error" would hide the bug);</li>
 *   <li>allocating far more heap than the input could justify, i.e. trusting a size that the file
 *       declares instead of the bytes it has;</li>
 *   <li>taking over {@link #SLOW_SECONDS} s on an input (all inputs are small: libFuzzer's 4 KiB
 *       default -max_len), and hangs: {@code @Timeout(TIMEOUT_SECONDS)} on each fuzz test becomes
 *       libFuzzer's per-input -timeout when fuzzing and JUnit's timeout when replaying. It must be
 *       generous because the first invocation also pays for installing Jazzer's agent.</li>
 * </ul>
 * Allocation and time are measured on the calling thread; a run over either limit is repeated once
 * and fails only if the repeat is over it too, so that the one-time cost of loading (and, when
 * fuzzing, instrumenting) classes is not counted.
 */
public final class FuzzChecks {
    /** Heap a single parse may allocate beyond {@link #BYTES_PER_INPUT_BYTE} per input byte. */
    public static final long ALLOCATION_SLACK = 64L << 20;
    public static final long BYTES_PER_INPUT_BYTE = 1024;
    public static final double SLOW_SECONDS = 5;
    public static final long TIMEOUT_SECONDS = 60;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final AtomicLong COUNTER = new AtomicLong();

    private FuzzChecks() {
    }

    /** A parse under test. */
    public interface Parse {
        void run() throws Exception;
    }

    /** Runs {@code parse} on an input of {@code inputBytes} bytes, enforcing the criteria above. */
    public static void userErrorsOnly(long inputBytes, Parse parse) throws Exception {
        userErrorsOnly(inputBytes, 0, parse);
    }

    /**
     * As {@link #userErrorsOnly(long, Parse)}, allowing {@code allowance} more bytes of heap: what the
     * caller asked for, e.g. a tensor of a declared size that the input need not hold (a sparse one).
     */
    public static void userErrorsOnly(long inputBytes, long allowance, Parse parse) throws Exception {
        long limit = ALLOCATION_SLACK + BYTES_PER_INPUT_BYTE * inputBytes + allowance;
        long[] cost = measure(parse);
        if (cost[0] > limit || cost[1] > SLOW_SECONDS * 1e9) {
            cost = measure(parse);
            if (cost[0] > limit) {
                throw new AssertionError("allocated " + cost[0] + " bytes of heap for a " + inputBytes
                        + "-byte input (limit " + limit + "): a size from the input was trusted");
            }
            if (cost[1] > SLOW_SECONDS * 1e9) {
                throw new AssertionError("took " + cost[1] / 1e9 + " s on a " + inputBytes + "-byte input (limit "
                        + SLOW_SECONDS + " s)");
            }
        }
    }

    /** {allocated bytes, elapsed nanoseconds} of one run. */
    private static long[] measure(Parse parse) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        try {
            parse.run();
        } catch (AmalgamException e) {
            checkUserError(e);
        }
        return new long[] {THREADS.getCurrentThreadAllocatedBytes() - before, System.nanoTime() - start};
    }

    /** An AmalgamException must be one non-blank line and must not wrap a programming error. */
    public static void checkUserError(AmalgamException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            throw new AssertionError("AmalgamException without a message", e);
        }
        if (!isOneLine(m)) {
            throw new AssertionError("AmalgamException message is not one line: " + m.replace("\n", "\\n")
                    .replace("\r", "\\r"), e);
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof AmalgamException || c instanceof IOException) {
                continue;
            }
            throw new AssertionError("AmalgamException wraps a programming error: " + e.getMessage(), e);
        }
    }

    /** No line terminator or other control character but tab (\n, \r, VT, FF, NEL, U+2028, U+2029, ...). */
    public static boolean isOneLine(String s) {
        return s.chars().noneMatch(c -> c != '\t' && Character.isISOControl(c) || c == 0x2028 || c == 0x2029);
    }

    /**
     * A fresh directory for one fuzz input, under the test's temporary root. Every 1000 inputs this also
     * lets the JVM release the memory mappings that the readers of earlier inputs left to the garbage
     * collector: fuzzing maps files faster than the JVM's cleaner unmaps them once collected, and would
     * otherwise reach the kernel's limit on mappings (vm.max_map_count) and fail with "Map failed".
     */
    public static Path freshDir(Path root) {
        long n = COUNTER.incrementAndGet();
        if (n % 1000 == 0) {
            releaseMappings();
        }
        try {
            return Files.createDirectories(root.resolve("in" + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects garbage, then waits (up to 5 s) until the process has fewer than 10,000 mappings. */
    private static void releaseMappings() {
        System.gc();
        try {
            for (int i = 0; i < 250 && mappings() > 10_000; i++) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of memory mappings of this process (Linux), or 0 where that cannot be read. */
    private static long mappings() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree (best effort: the next input gets a new directory anyway). */
    public static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
