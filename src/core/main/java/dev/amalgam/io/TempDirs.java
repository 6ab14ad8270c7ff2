package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hidden temporary outputs next to their target: {@code .<name>.amalgam-tmp-<pid>-<8 hex>}. The PID
 * in the name lets a later run recognise one whose writer is gone (kill -9, power loss) and remove it;
 * nothing else is ever removed. Directories are created with plain {@code createDirectory}, so their
 * permissions follow the umask (0755 under the usual 022), not the 0700 of
 * {@code Files.createTempDirectory}.
 */
public final class TempDirs {
    private static final String MARK = ".amalgam-tmp-";
    private static final Pattern NAME = Pattern.compile("\\..+\\.amalgam-tmp-(\\d{1,18})-[0-9a-f]{8}");

    private TempDirs() {
    }

    /**
     * Creates the temporary directory for {@code target} (and target's parent if needed), first
     * removing the stale ones that dead processes left in that parent. Tracked for interrupt cleanup
     * until {@link #publish} or {@link #discard}.
     */
    public static Path create(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (t.getParent() != null && Files.isDirectory(t.getParent())) {
            sweep(t.getParent());
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return PartialOutputs.create(name(t));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw new AmalgamException(target + ": cannot create a temporary directory (" + e.getMessage() + ")");
                }
            } catch (IOException e) {
                throw new AmalgamException(target + ": cannot create output (" + e.getMessage() + ")");
            }
        }
    }

    /** A fresh hidden name next to {@code target} (for a temporary file or directory). */
    public static Path name(Path target) {
        byte[] nonce = new byte[4];
        ThreadLocalRandom.current().nextBytes(nonce);
        return target.resolveSibling("." + target.getFileName() + MARK + ProcessIds.self() + "-" + HexFormat.of().formatHex(nonce));
    }

    /** Runs {@code move} (which renames {@code temp} into place) unless an interrupt is removing it. */
    public static void publish(Path temp, PartialOutputs.Publish move) throws IOException {
        PartialOutputs.publish(temp, move);
    }

    /** Deletes an unpublished temporary directory (no-op once published). */
    public static void discard(Path temp) {
        PartialOutputs.discard(temp);
    }

    /** PID in an Amalgam temporary name, or -1 for any other name. */
    static long ownerPid(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Removes the temporary files and directories in {@code dir} whose owning process is gone. */
    public static void sweep(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*" + MARK + "*")) {
            for (Path p : ds) {
                long pid = ownerPid(p);
                if (pid < 0 || Files.isSymbolicLink(p)) {
                    continue;
                }
                boolean stale = pid == ProcessIds.self() ? !PartialOutputs.tracked(p) : !ProcessIds.alive(pid);
                if (stale) {
                    delete(p);
                    dev.amalgam.Messages.err().println("amalgam: removed " + p + ", left by an interrupted run (PID " + pid + ")");
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // best effort: a leftover costs disk space, never correctness
        }
    }

    /**
     * Deletes a file or a directory tree without following links; tolerates entries that vanish or
     * appear meanwhile (a writer still running while an interrupt removes its output).
     */
    public static void delete(Path p) {
        for (int attempt = 0; attempt < 10 && Files.exists(p, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try {
                Files.walkFileTree(p, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                        if (exc instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw exc;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                // something was created or removed meanwhile: walk again
            } catch (IOException e) {
                dev.amalgam.Messages.err().println("amalgam: warning: could not delete " + p + " (" + e.getMessage() + ")");
                return;
            }
        }
    }
}
