package dev.amalgam.eval.datasets;

import dev.amalgam.AmalgamException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens a file, transparently gunzipping it when it starts with the gzip magic bytes. */
final class Compressed {
    private Compressed() {
    }

    static InputStream open(Path file) {
        try {
            BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16)) : in;
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot open (" + e.getMessage() + ")", e);
        }
    }

    static byte[] readAll(Path file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
