package dev.amalgam.io;

import java.time.Instant;
import java.util.Optional;

/**
 * Who owns a lock or a temporary directory: a PID and, where the OS reports it, the process's start
 * time, so that a PID reused by an unrelated process is not mistaken for the owner.
 */
final class ProcessIds {
    private ProcessIds() {
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    /** Start time of this process in epoch milliseconds, or -1 when unknown. */
    static long selfStart() {
        return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    static boolean alive(long pid) {
        return alive(pid, -1);
    }

    /** Whether {@code pid} runs and, when {@code startMillis >= 0}, started then (within a second). */
    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        if (startMillis < 0) {
            return true;
        }
        Optional<Instant> started = h.get().info().startInstant();
        return started.isEmpty() || Math.abs(started.get().toEpochMilli() - startMillis) < 1000;
    }
}
