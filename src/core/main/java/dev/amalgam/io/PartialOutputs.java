package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What this process is writing right now: its temporary output directories ({@link TempDirs}) and
 * output locks ({@link OutputLock}). On SIGINT or SIGTERM the JVM runs the hook that the CLI installs:
 * it removes the partial outputs, releases the locks and prints one line; the JVM then exits with
 * 128 + the signal (130 for SIGINT, 143 for SIGTERM).
 *
 * <p>Creating, publishing (renaming into place) and discarding a temporary directory all hold one
 * monitor that the hook holds too, so an interrupt finds each output either complete or removes all
 * of it, and nothing is created after the hook has run.
 */
public final class PartialOutputs {
    private static final Object MONITOR = new Object();
    private static final Set<Path> TEMPS = new LinkedHashSet<>();
    private static final Set<OutputLock> LOCKS = new LinkedHashSet<>();
    private static final Set<Path> SCRATCH = new LinkedHashSet<>();
    private static volatile boolean shuttingDown;
    private static volatile boolean exitingNormally;
    private static boolean hooked;
    private static boolean announce;
    private static Runnable afterInterrupt;

    private PartialOutputs() {
    }

    /**
     * Called once by the CLI's main method: on a signal the hook removes the partial outputs, prints one
     * line and then runs {@code afterInterrupt} (the CLI ends the process there, before libtorch's static
     * destructors can run under a thread still inside a native op).
     */
    public static void installShutdownHook(Runnable afterInterrupt) {
        synchronized (MONITOR) {
            announce = true;
            PartialOutputs.afterInterrupt = afterInterrupt;
            hook();
        }
    }

    /**
     * A temporary working directory (not an output) that a shutdown removes silently; a library that never
     * installed the CLI's hook gets a quiet one. {@link #scratchRemoved} when it is deleted normally.
     */
    public static void scratch(Path dir) {
        synchronized (MONITOR) {
            refuseAfterInterrupt();
            SCRATCH.add(dir);
            hook();
        }
    }

    public static void scratchRemoved(Path dir) {
        synchronized (MONITOR) {
            SCRATCH.remove(dir);
        }
    }

    private static void hook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(PartialOutputs::onShutdown, "amalgam-cleanup"));
            hooked = true;
        }
    }

    /** The CLI is about to exit by itself: the hook only tidies up, silently. */
    public static void exitingNormally() {
        exitingNormally = true;
    }

    /** True once a signal has started the JVM's shutdown; errors that follow are its echo, not news. */
    public static boolean interrupted() {
        return shuttingDown && !exitingNormally;
    }

    /** An action that finishes an output (renames the temporary directory into place). */
    public interface Publish {
        void run() throws IOException;
    }

    static Path create(Path temp) throws IOException {
        synchronized (MONITOR) {
            refuseAfterInterrupt();
            Files.createDirectories(temp.getParent());
            Files.createDirectory(temp);
            TEMPS.add(temp);
            return temp;
        }
    }

    static void createFile(Path temp, byte[] content) throws IOException {
        synchronized (MONITOR) {
            refuseAfterInterrupt();
            try {
                Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            TEMPS.add(temp);
        }
    }

    static void publish(Path temp, Publish action) throws IOException {
        synchronized (MONITOR) {
            refuseAfterInterrupt();
            action.run();
            TEMPS.remove(temp);
        }
    }

    static void discard(Path temp) {
        synchronized (MONITOR) {
            if (TEMPS.remove(temp)) {
                TempDirs.delete(temp);
            }
        }
    }

    static boolean tracked(Path temp) {
        synchronized (MONITOR) {
            return TEMPS.contains(temp);
        }
    }

    static void hold(OutputLock lock) {
        synchronized (MONITOR) {
            if (shuttingDown) {
                lock.close();
                refuseAfterInterrupt();
            }
            LOCKS.add(lock);
        }
    }

    static void release(OutputLock lock) {
        synchronized (MONITOR) {
            LOCKS.remove(lock);
        }
    }

    private static void refuseAfterInterrupt() {
        if (shuttingDown) {
            throw new AmalgamException("interrupted");
        }
    }

    private static void onShutdown() {
        synchronized (MONITOR) {
            shuttingDown = true;
            List<Path> removed = new ArrayList<>();
            for (Path t : TEMPS) {
                if (TEMPS.stream().noneMatch(o -> !o.equals(t) && t.startsWith(o))) { // nested ones go with their parent
                    TempDirs.delete(t);
                    removed.add(t);
                }
            }
            TEMPS.clear();
            SCRATCH.forEach(TempDirs::delete);
            SCRATCH.clear();
            new ArrayList<>(LOCKS).forEach(OutputLock::close);
            if (announce && !exitingNormally) {
                dev.amalgam.Messages.err().println(removed.isEmpty() ? "amalgam: interrupted"
                        : "amalgam: interrupted; removed partial output " + String.join(", ", removed.stream().map(Path::toString).toList()));
                dev.amalgam.Messages.err().flush();
                if (afterInterrupt != null) {
                    afterInterrupt.run();
                }
            }
        }
    }
}
