package dev.amalgam.eval.datasets.synthetic;

import dev.amalgam.AmalgamException;
import dev.amalgam.train.clip.LabeledImages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A labelled set of square 8-bit grayscale images (white glyph on black, as MNIST), stored as one
 * binary file: magic {@code AGI1}, int32 count, int32 side, count label bytes, count·side² pixel bytes.
 */
public record GrayImages(int count, int side, byte[] pixels, int[] labels) implements LabeledImages {
    private static final int MAGIC = 0x41474931; // "AGI1"

    public GrayImages {
        if (pixels.length != count * side * side || labels.length != count) {
            throw new IllegalArgumentException("bad image set: " + count + " x " + side + "² vs " + pixels.length
                    + " pixels, " + labels.length + " labels");
        }
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    /** CLIP-normalised, see {@link Pixels#nchw(GrayImages, int[])}. */
    @Override
    public float[] nchw(int[] indices) {
        return Pixels.nchw(this, indices);
    }

    public int pixel(int image, int y, int x) {
        return pixels[(image * side + y) * side + x] & 0xff;
    }

    public GrayImages slice(int from, int to) {
        byte[] p = java.util.Arrays.copyOfRange(pixels, from * side * side, to * side * side);
        return new GrayImages(to - from, side, p, java.util.Arrays.copyOfRange(labels, from, to));
    }

    public void write(Path file) {
        ByteBuffer b = ByteBuffer.allocate(12 + count + pixels.length);
        b.putInt(MAGIC).putInt(count).putInt(side);
        for (int l : labels) {
            b.put((byte) l);
        }
        b.put(pixels);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, b.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    public static GrayImages read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 12 || b.getInt() != MAGIC) {
            throw new AmalgamException(file + ": not an image-suite data file (magic AGI1)");
        }
        int n = b.getInt();
        int side = b.getInt();
        if (n < 0 || side <= 0 || side > 4096 || all.length != 12L + n + (long) n * side * side) {
            throw new AmalgamException(file + ": header says " + n + " images of " + side + "² but the file has "
                    + all.length + " bytes");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = b.get() & 0xff;
        }
        byte[] px = new byte[n * side * side];
        b.get(px);
        return new GrayImages(n, side, px, labels);
    }
}
