package dev.amalgam.eval.clip;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.eval.datasets.ImageFolderDataset;
import dev.amalgam.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Clean-image features of the pre-trained vision tower, on disk as {@code <dir>/<key>.f32}: a header
 * of magic, rows and columns (little-endian ints) then rows × columns floats. The key hashes the
 * vision weights id, the image size and each selected image file's path, size and modification time,
 * so editing the data or the model misses the cache. Only file-backed (image folder) data is cached.
 */
final class FeatureCache {
    private static final int MAGIC = 0x41464331; // "AFC1"

    private final Path dir;

    FeatureCache(Path dir) {
        this.dir = dir;
    }

    /** The key for these images, or null when the dataset is not file-backed. */
    static String key(String visionId, int imageSize, Dataset<?> data, int[] indices) {
        if (!(data instanceof ImageFolderDataset files)) {
            return null;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("amalgam-clip-features-v1|" + visionId + "|" + imageSize).getBytes(StandardCharsets.UTF_8));
            for (int i : indices) {
                Path f = files.file(i);
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                md.update(("|" + f.toAbsolutePath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the features were read from disk is reported through {@code hit[0]}. */
    float[][] getOrCompute(String key, Supplier<float[][]> compute, boolean[] hit) {
        Path f = dir.resolve(key + ".f32");
        if (Files.isRegularFile(f)) {
            float[][] cached = read(f);
            if (cached != null) {
                hit[0] = true;
                return cached;
            }
        }
        float[][] v = compute.get();
        write(f, v);
        hit[0] = false;
        return v;
    }

    /** The features, or null when the file is truncated or not ours (it is then recomputed). */
    static float[][] read(Path f) {
        try {
            byte[] all = Files.readAllBytes(f);
            if (all.length < 12) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int magic = b.getInt();
            int rows = b.getInt();
            int cols = b.getInt();
            if (magic != MAGIC || rows < 0 || cols <= 0 || 12L + 4L * rows * cols != all.length) {
                return null;
            }
            float[][] out = new float[rows][cols];
            for (float[] row : out) {
                for (int j = 0; j < cols; j++) {
                    row[j] = b.getFloat();
                }
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    private void write(Path f, float[][] v) {
        int cols = v.length == 0 ? 1 : v[0].length;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * v.length * cols).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(v.length).putInt(cols);
        for (float[] row : v) {
            for (float x : row) {
                b.putFloat(x);
            }
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(f, b.array());
        } catch (IOException e) {
            throw new AmalgamException(f + ": cannot write feature cache (" + e.getMessage() + ")", e);
        }
    }
}
