package dev.amalgam.eval.datasets;

import dev.amalgam.AmalgamException;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads scikit-learn's bundled 8x8 digits ({@code sklearn/datasets/data/digits.csv.gz}, 1797 rows of 64
 * pixel values 0..16 followed by the digit). Pixels are scaled to gray 0..255 by round(v * 255 / 16).
 */
public final class DigitsReader {
    /** Where Debian's python3-sklearn installs the file. */
    public static final Path DEBIAN_PATH = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private DigitsReader() {
    }

    public static ListDataset<ImageExample> read(Path csv, String name) {
        List<ImageExample> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compressed.open(csv), StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 65) {
                    throw new AmalgamException(csv + ": line " + lineNo + " has " + f.length + " fields, expected 65");
                }
                BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 64; p++) {
                    int v = (int) Math.round(Double.parseDouble(f[p]));
                    if (v < 0 || v > 16) {
                        throw new AmalgamException(csv + ": line " + lineNo + " pixel " + p + " = " + v + " outside 0..16");
                    }
                    im.getRaster().setSample(p % 8, p / 8, 0, Math.round(v * 255f / 16f));
                }
                int label = (int) Math.round(Double.parseDouble(f[64]));
                if (label < 0 || label > 9) {
                    throw new AmalgamException(csv + ": line " + lineNo + " label " + label + " outside 0..9");
                }
                out.add(new ImageExample(im, label));
            }
        } catch (IOException | NumberFormatException e) {
            throw new AmalgamException(csv + ": cannot read digits (" + e.getMessage() + ")", e);
        }
        return new ListDataset<>(name, CLASS_NAMES, out);
    }
}
