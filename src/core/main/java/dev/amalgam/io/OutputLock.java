package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive claim on an output (a directory about to be written, or a run folder): the file
 * {@code .<name>.amalgam-lock} next to it, holding the owner's PID and start time. Commands take it
 * before any heavy work, so a second writer fails at once, naming the holder. A lock whose owner is
 * gone (kill -9, power loss) is taken over; {@link #close()} removes it.
 */
public final class OutputLock implements AutoCloseable {
    private static final String SUFFIX = ".amalgam-lock";
    private final Path file;
    private final String content;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private OutputLock(Path file, String content) {
        this.file = file;
        this.content = content;
    }

    /** The lock file that guards {@code target}. */
    public static Path fileFor(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (t.getFileName() == null) {
            throw new AmalgamException(target + ": not a valid output location");
        }
        try {
            if (Files.isDirectory(t.getParent())) {
                t = t.getParent().toRealPath().resolve(t.getFileName());
            }
        } catch (IOException ignored) {
            // keep the normalized path
        }
        return t.resolveSibling("." + t.getFileName() + SUFFIX);
    }

    /** Takes the lock on {@code target}, or fails with one line naming the process that holds it. */
    public static OutputLock acquire(Path target) {
        Path file = fileFor(target);
        String mine = ProcessIds.self() + "\n" + ProcessIds.selfStart() + "\n";
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < 20; attempt++) {
                if (tryCreate(file, mine)) {
                    OutputLock lock = new OutputLock(file, mine);
                    PartialOutputs.hold(lock);
                    return lock;
                }
                String held = read(file);
                if (held == null) {
                    continue; // released meanwhile
                }
                long[] owner = parse(held);
                if (owner == null && attempt < 5) {
                    pause(); // without hard links the owner writes its PID just after creating the file
                    continue;
                }
                if (owner != null && ProcessIds.alive(owner[0], owner[1])) {
                    throw new AmalgamException(target + ": in use by another amalgam process (PID " + owner[0]
                            + "; lock file " + file + ")");
                }
                takeOver(file, held, owner == null ? "unreadable"
                        : "PID " + owner[0] + (ProcessIds.alive(owner[0]) ? " now belongs to another process" : " is gone"));
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot take the output lock (" + e.getMessage() + ")");
        }
        throw new AmalgamException(file + ": cannot take the output lock (it keeps changing hands)");
    }

    /** Creates {@code file} with {@code content} in one step (a hard link), so readers never see it half written. */
    private static boolean tryCreate(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path staged = file.resolveSibling(file.getFileName() + "." + ProcessIds.self() + ".new");
        Files.write(staged, bytes);
        try {
            Files.createLink(file, staged);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            try {
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException held) {
                return false;
            }
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * Removes a stale lock. It is first renamed to a name of our own, so that of two processes
     * recovering it at once only one succeeds; if what was renamed is no longer the stale lock (another
     * process took it over meanwhile), it is put back.
     */
    private static void takeOver(Path file, String stale, String why) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + "." + ProcessIds.self() + ".stale");
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            if (stale.equals(read(aside))) {
                dev.amalgam.Messages.err().println("amalgam: took over the lock " + file + " (" + why + ")");
            } else {
                try {
                    Files.createLink(file, aside);
                } catch (UnsupportedOperationException | FileSystemException e) {
                    if (!(e instanceof FileAlreadyExistsException)) {
                        Files.move(aside, file);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** {pid, start millis or -1}, or null when the content is not a lock's. */
    private static long[] parse(String content) {
        String[] lines = content.strip().split("\\s+");
        try {
            long pid = Long.parseLong(lines[0]);
            long start = lines.length > 1 ? Long.parseLong(lines[1]) : -1;
            return pid > 0 ? new long[] {pid, start} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.MalformedInputException e) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmalgamException("interrupted");
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Removes the lock file if it is still ours. */
    @Override
    public void close() {
        if (released.getAndSet(true)) {
            return;
        }
        PartialOutputs.release(this);
        try {
            if (content.equals(read(file))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover lock of a dead process is taken over by the next run
        }
    }
}
