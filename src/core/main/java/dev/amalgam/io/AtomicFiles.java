package dev.amalgam.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a small file atomically: the content goes to a {@link TempDirs#name temporary name} next to
 * it (created like any new file, so permissions follow the umask) and is renamed over it.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path temp = TempDirs.name(file.toAbsolutePath().normalize());
        try {
            PartialOutputs.createFile(temp, content);
            TempDirs.publish(temp, () -> Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE));
        } finally {
            TempDirs.discard(temp);
        }
    }
}
