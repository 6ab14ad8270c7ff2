package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provenance entries written into the {@code __metadata__} of every output file:
 * {@code amalgam_version}, and hashes of the inputs and recipe supplied by the caller.
 *
 * <p>Input hashes come in two strengths. {@link Mode#FULL} is the SHA-256 of every byte (streamed;
 * about as slow as reading the files). {@link Mode#QUICK} hashes, per file, its size plus its first
 * and last MiB — for safetensors with a header under 1 MiB (nearly all) that covers names, dtypes, shapes
 * and offsets — so it
 * detects a different or truncated checkpoint in milliseconds but not a silent change in the middle
 * of the data. The mode is recorded next to the hash.
 */
public final class Provenance {
    public static final String AMALGAM_VERSION = "0.1.0";
    private static final int QUICK_CHUNK = 1 << 20;

    public enum Mode { FULL, QUICK }

    private Provenance() {
    }

    /** Base metadata: {@code amalgam_version}, plus {@code inputs_sha256} and its mode if files are given. */
    public static Map<String, String> metadata(Collection<Path> inputFiles, Mode mode) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("amalgam_version", AMALGAM_VERSION);
        if (!inputFiles.isEmpty()) {
            m.put("inputs_sha256", inputsSha256(inputFiles, mode));
            m.put("inputs_hash_mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        }
        return m;
    }

    /** One hash over all files: SHA-256 of the lines "fileName hash" in the given order. */
    public static String inputsSha256(Collection<Path> files, Mode mode) {
        MessageDigest all = sha256();
        for (Path f : files) {
            String h = mode == Mode.FULL ? sha256(f) : quickSha256(f);
            all.update((f.getFileName() + " " + h + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(all.digest());
    }

    public static String sha256(Path file) {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String quickSha256(Path file) {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            md.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, size));
            List<long[]> ranges = new ArrayList<>();
            ranges.add(new long[] {0, Math.min(size, QUICK_CHUNK)});
            if (size > QUICK_CHUNK) {
                long tail = Math.max(QUICK_CHUNK, size - QUICK_CHUNK);
                ranges.add(new long[] {tail, size});
            }
            for (long[] r : ranges) {
                ByteBuffer b = ByteBuffer.allocate((int) (r[1] - r[0]));
                while (b.hasRemaining() && ch.read(b, r[0] + b.position()) > 0) {
                    // keep reading
                }
                md.update(b.flip());
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
