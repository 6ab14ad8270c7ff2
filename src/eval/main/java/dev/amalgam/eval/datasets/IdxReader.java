package dev.amalgam.eval.datasets;

import dev.amalgam.AmalgamException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of the MNIST family (MNIST, Fashion-MNIST, KMNIST, EMNIST): an images file
 * (magic 0x00000803, unsigned bytes, N x rows x cols) and a labels file (magic 0x00000801, N bytes),
 * raw or gzipped. Every header field is checked against the file length before use.
 */
public final class IdxReader {
    private IdxReader() {
    }

    public static IdxDataset read(Path images, Path labels, List<String> classNames, String name) {
        return read(images, labels, classNames, name, 0, false);
    }

    /**
     * @param labelOffset added to every stored label (EMNIST letters stores 1..26: use -1)
     * @param transpose   swap rows and columns of every image (EMNIST stores images transposed)
     */
    public static IdxDataset read(Path images, Path labels, List<String> classNames, String name,
                                  int labelOffset, boolean transpose) {
        byte[] img = Compressed.readAll(images);
        byte[] lab = Compressed.readAll(labels);
        int[] imgDims = header(img, images, 3);
        int[] labDims = header(lab, labels, 1);
        if (imgDims[0] != labDims[0]) {
            throw new AmalgamException(images + ": " + imgDims[0] + " images but " + labels + " has "
                    + labDims[0] + " labels");
        }
        int n = imgDims[0];
        int pixels = imgDims[1] * imgDims[2];
        int imgOffset = 4 + 4 * 3;
        int labOffset = 4 + 4;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (lab[labOffset + i] & 0xff) + labelOffset;
            if (y[i] < 0 || y[i] >= classNames.size()) {
                throw new AmalgamException(labels + ": label " + y[i] + " at " + i + " (after offset " + labelOffset
                        + ") outside 0.." + (classNames.size() - 1));
            }
        }
        byte[] px = new byte[n * pixels];
        int rows = imgDims[1];
        int cols = imgDims[2];
        if (!transpose) {
            System.arraycopy(img, imgOffset, px, 0, px.length);
            return new IdxDataset(name, classNames, rows, cols, px, y);
        }
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    px[i * pixels + c * rows + r] = img[imgOffset + i * pixels + r * cols + c];
                }
            }
        }
        return new IdxDataset(name, classNames, cols, rows, px, y);
    }

    /** Validates magic (unsigned byte type, expected rank) and length; returns the dimensions. */
    private static int[] header(byte[] data, Path file, int rank) {
        if (data.length < 4 + 4 * rank) {
            throw new AmalgamException(file + ": too short for an IDX header");
        }
        ByteBuffer bb = ByteBuffer.wrap(data);
        int magic = bb.getInt();
        if ((magic >>> 16) != 0 || ((magic >> 8) & 0xff) != 0x08 || (magic & 0xff) != rank) {
            throw new AmalgamException(file + ": not an unsigned-byte IDX file of rank " + rank
                    + String.format(" (magic 0x%08x)", magic));
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = bb.getInt();
            if (dims[d] <= 0) {
                throw new AmalgamException(file + ": bad IDX dimension " + dims[d]);
            }
            total *= dims[d];
        }
        long expected = 4L + 4L * rank + total;
        if (data.length != expected) {
            throw new AmalgamException(file + ": IDX header says " + expected + " bytes, file has " + data.length);
        }
        return dims;
    }
}
