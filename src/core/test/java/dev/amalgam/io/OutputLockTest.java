package dev.amalgam.io;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLockTest {
    @TempDir
    Path tmp;

    @Test
    void aHeldLockRefusesASecondHolderAndGoesAwayOnClose() {
        Path out = tmp.resolve("out");
        try (OutputLock lock = OutputLock.acquire(out)) {
            assertTrue(Files.isRegularFile(lock.file()));
            AmalgamException e = assertThrows(AmalgamException.class, () -> OutputLock.acquire(out));
            assertEquals(out + ": in use by another amalgam process (PID " + ProcessHandle.current().pid()
                    + "; lock file " + lock.file() + ")", e.getMessage());
        }
        assertFalse(Files.exists(OutputLock.fileFor(out)));
    }

    @Test
    void aPidReusedByAnotherProcessDoesNotHoldTheLock() throws Exception {
        Path out = tmp.resolve("out");
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long wrongStart = ProcessHandle.of(sleeper.pid()).orElseThrow().info().startInstant().orElseThrow()
                    .toEpochMilli() - 3_600_000;
            Files.writeString(OutputLock.fileFor(out), sleeper.pid() + "\n" + wrongStart + "\n");
            try (OutputLock lock = OutputLock.acquire(out)) {
                assertTrue(Files.readString(lock.file()).startsWith(ProcessHandle.current().pid() + "\n"));
            }
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void closeLeavesALockThatIsNoLongerOurs() throws Exception {
        Path out = tmp.resolve("out");
        OutputLock lock = OutputLock.acquire(out);
        Files.writeString(lock.file(), "1\n");
        lock.close();
        assertEquals("1\n", Files.readString(lock.file()));
    }

    @Test
    void oneOutputSpelledTwoWaysHasOneLock() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("a/b"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        Path lockFile = OutputLock.fileFor(real.resolve("out"));
        assertEquals(lockFile, OutputLock.fileFor(tmp.resolve("a/./c/../b/out")));
        assertEquals(lockFile, OutputLock.fileFor(link.resolve("out/")));
    }
}
