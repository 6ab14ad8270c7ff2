package dev.amalgam.eval.datasets;

import java.awt.image.BufferedImage;
import java.util.List;

/** Gray images held as one byte array (N x rows x cols), decoded to a {@link BufferedImage} on access. */
public final class IdxDataset implements Dataset<ImageExample> {
    private final String name;
    private final List<String> classNames;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final int[] labels;

    IdxDataset(String name, List<String> classNames, int rows, int cols, byte[] pixels, int[] labels) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public ImageExample get(int index) {
        BufferedImage im = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        im.getRaster().setDataElements(0, 0, cols, rows, java.util.Arrays.copyOfRange(pixels,
                index * rows * cols, (index + 1) * rows * cols));
        return new ImageExample(im, labels[index]);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Raw pixel value (0..255) of image {@code index} at ({@code row}, {@code col}). */
    public int pixel(int index, int row, int col) {
        return pixels[(index * rows + row) * cols + col] & 0xff;
    }
}
