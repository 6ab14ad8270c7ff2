package dev.amalgam.eval.datasets;

import dev.amalgam.train.TextExample;
import dev.amalgam.train.Example;

import dev.amalgam.testutil.PackagedData;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer bb = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        bb.putInt(magic);
        for (int d : dims) {
            bb.putInt(d);
        }
        bb.put(data);
        return bb.array();
    }

    static void write(Path p, byte[] data, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(data);
        }
    }

    @Test
    void idxRawAndGzip(@TempDir Path dir) throws IOException {
        byte[] px = new byte[3 * 2 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 14);
        }
        write(dir.resolve("img"), idx(0x803, new int[] {3, 2, 3}, px), false);
        write(dir.resolve("lab.gz"), idx(0x801, new int[] {3}, new byte[] {2, 0, 1}), true);
        IdxDataset d = IdxReader.read(dir.resolve("img"), dir.resolve("lab.gz"), List.of("a", "b", "c"), "t");
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        // image 1, row 1, col 2 -> flat index 6 + 3 + 2 = 11 -> 154
        assertEquals(154, d.pixel(1, 1, 2));
        RgbImage rgb = RgbImage.of(d.get(1).image());
        assertEquals(154, rgb.get(2, 1, 0));
        assertEquals(154, rgb.get(2, 1, 2));

        // EMNIST conventions: labels 1-based, images transposed
        write(dir.resolve("lab1"), idx(0x801, new int[] {3}, new byte[] {2, 1, 1}), false);
        IdxDataset e = IdxReader.read(dir.resolve("img"), dir.resolve("lab1"), List.of("a", "b"), "e", -1, true);
        assertArrayEquals(new int[] {1, 0, 0}, e.labels());
        assertThrows(AmalgamException.class, () -> IdxReader.read(dir.resolve("img"), dir.resolve("lab.gz"), List.of("a", "b"), "e", -1, true));
        assertEquals(3, e.rows());
        assertEquals(2, e.cols());
        assertEquals(154, e.pixel(1, 2, 1)); // stored (row 1, col 2) -> (row 2, col 1)
        write(dir.resolve("bad"), idx(0x802, new int[] {3, 2, 3}, px), false);
        assertThrows(AmalgamException.class, () -> IdxReader.read(dir.resolve("bad"), dir.resolve("lab.gz"), List.of("a", "b", "c"), "t"));
        write(dir.resolve("short"), Arrays.copyOf(idx(0x803, new int[] {3, 2, 3}, px), 20), false);
        assertThrows(AmalgamException.class, () -> IdxReader.read(dir.resolve("short"), dir.resolve("lab.gz"), List.of("a", "b", "c"), "t"));
        assertThrows(AmalgamException.class, () -> IdxReader.read(dir.resolve("img"), dir.resolve("lab.gz"), List.of("a", "b"), "t"));
    }

    @Test
    void fashionMnistFromManifest() {
        Path m = Path.of("datasets/fashion-mnist.yaml");
        PackagedData.present(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"), "dataset-fashion-mnist");
        Dataset<? extends Example> test = ManifestDatasets.open(m, "test");
        assertEquals(10000, test.size());
        int[] counts = new int[10];
        for (int y : test.labels()) {
            counts[y]++;
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, counts); // the published test split is balanced
        assertEquals(9, test.label(0));     // first test image is an ankle boot (values checked with numpy)
        assertEquals("Ankle boot", test.classNames().get(9));
        RgbImage first = RgbImage.of(((ImageExample) test.get(0)).image());
        assertEquals(110, first.get(14, 14, 1));
        long sum = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                sum += first.get(x, y, 0);
            }
        }
        assertEquals(33456, sum);
        assertThrows(AmalgamException.class, () -> ManifestDatasets.open(m, "validation"));
        assertEquals(10000, ManifestDatasets.openImages(m, "test").size());
        assertThrows(AmalgamException.class, () -> ManifestDatasets.openTexts(m, "test"));
    }

    @Test
    void sklearnDigitsHoldoutIsStratifiedDeterministicAndDisjoint() {
        PackagedData.present(DigitsReader.DEBIAN_PATH, "python3-sklearn");
        Path m = Path.of("datasets/sklearn-digits.yaml");
        Dataset<? extends Example> all = ManifestDatasets.open(m, "all");
        assertEquals(1797, all.size());
        RgbImage first = RgbImage.of(((ImageExample) all.get(0)).image());
        assertEquals(Math.round(5 * 255f / 16), first.get(2, 0, 0));  // row 0: 0 0 5 13 ...
        assertEquals(Math.round(13 * 255f / 16), first.get(2, 1, 1)); // row 1: 0 0 13 15 ...
        Subset<?> test = (Subset<?>) ManifestDatasets.open(m, "test");
        Subset<?> train = (Subset<?>) ManifestDatasets.open(m, "train");
        // class counts 178 182 177 183 181 182 181 179 174 180 -> round(0.2 n) sums to 359
        assertEquals(359, test.size());
        assertEquals(1797 - 359, train.size());
        Set<Integer> seen = new HashSet<>();
        for (int i : test.parentIndices()) {
            seen.add(i);
        }
        for (int i : train.parentIndices()) {
            assertFalse(seen.contains(i));
        }
        assertArrayEquals(test.parentIndices(), ((Subset<?>) ManifestDatasets.open(m, "test")).parentIndices());
    }

    static final class Labels implements Dataset<TextExample> {
        final int[] y;

        Labels(int... y) {
            this.y = y;
        }

        @Override
        public String name() {
            return "labels";
        }

        @Override
        public List<String> classNames() {
            return List.of("a", "b", "c");
        }

        @Override
        public int size() {
            return y.length;
        }

        @Override
        public TextExample get(int index) {
            return new TextExample("t" + index, y[index]);
        }
    }

    @Test
    void splitsAndSubsampling() {
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            y[i] = i < 50 ? 0 : (i < 80 ? 1 : 2); // 50 / 30 / 20
        }
        Labels d = new Labels(y);
        List<Subset<TextExample>> parts = Splits.stratifiedSplit(d, 0.1, 7, "a", "b");
        int[] c = new int[3];
        for (int v : parts.get(0).labels()) {
            c[v]++;
        }
        assertArrayEquals(new int[] {5, 3, 2}, c);
        assertEquals(90, parts.get(1).size());
        assertArrayEquals(parts.get(0).parentIndices(), Splits.stratifiedSplit(d, 0.1, 7, "a", "b").get(0).parentIndices());
        assertFalse(Arrays.equals(parts.get(0).parentIndices(), Splits.stratifiedSplit(d, 0.1, 8, "a", "b").get(0).parentIndices()));
        Subset<TextExample> s = Splits.subsamplePerClass(d, 25, 1);
        c = new int[3];
        for (int v : s.labels()) {
            c[v]++;
        }
        assertArrayEquals(new int[] {25, 25, 20}, c);
        assertEquals(20, Splits.subsample(d, 20, 3).size()); // 10 + 6 + 4
    }

    static void png(Path file, int value) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage im = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                im.getRaster().setSample(x, y, 0, value);
            }
        }
        ImageIO.write(im, "png", file.toFile());
    }

    @Test
    void imageFolderOrdersNumberedDirsNumerically(@TempDir Path root) throws IOException {
        png(root.resolve("train/10_zebra/a.png"), 200);
        png(root.resolve("train/2_ant/b.png"), 50);
        png(root.resolve("train/2_ant/c.png"), 60);
        png(root.resolve("test/x/d.png"), 1);
        ImageFolderDataset d = ImageFolderReader.read(ImageFolderReader.splitDir(root, "train"), null, null, "f");
        assertEquals(List.of("ant", "zebra"), d.classNames());
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        RgbImage z = RgbImage.of(d.get(2).image());
        assertEquals(200, z.get(3, 2, 0)); // gray samples read as stored, no gamma conversion
        assertEquals(200, z.get(3, 2, 1));
        assertThrows(AmalgamException.class, () -> ImageFolderReader.splitDir(root, "val"));
        assertThrows(AmalgamException.class, () -> ImageFolderReader.read(root.resolve("train"), null, List.of("one"), "f"));
        // lexicographic when not all numbered
        png(root.resolve("plain/b/x.png"), 1);
        png(root.resolve("plain/a/y.png"), 1);
        assertEquals(List.of("a", "b"), ImageFolderReader.read(root.resolve("plain"), null, null, "p").classNames());
    }

    @Test
    void csvTsvJsonl(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("d.csv"), "id,text,label\n1,\"hello, world\",pos\n2,\"say \"\"hi\"\"\nthere\",neg\n3,plain,pos\n");
        ListDataset<TextExample> csv = TextTableReader.read(dir.resolve("d.csv"), TextTableReader.Format.CSV, "text", "label", null, "c");
        assertEquals(List.of("neg", "pos"), csv.classNames()); // inferred, sorted
        assertEquals("hello, world", csv.get(0).text());
        assertEquals("say \"hi\"\nthere", csv.get(1).text());
        assertArrayEquals(new int[] {1, 0, 1}, csv.labels());

        Files.writeString(dir.resolve("d.tsv"), "sentence\ty\nfoo\t1\nbar\t0\n");
        ListDataset<TextExample> tsv = TextTableReader.read(dir.resolve("d.tsv"), TextTableReader.formatOf(dir.resolve("d.tsv")),
                "sentence", "y", List.of("negative", "positive"), "t");
        assertArrayEquals(new int[] {1, 0}, tsv.labels());
        assertEquals("negative", tsv.classNames().get(0));

        Files.writeString(dir.resolve("d.jsonl"), "{\"t\": \"x\", \"l\": \"b\"}\n\n{\"t\": \"y\", \"l\": 0}\n");
        ListDataset<TextExample> jl = TextTableReader.read(dir.resolve("d.jsonl"), TextTableReader.Format.JSONL, "t", "l",
                List.of("a", "b"), "j");
        assertArrayEquals(new int[] {1, 0}, jl.labels());
        assertThrows(AmalgamException.class, () -> TextTableReader.read(dir.resolve("d.csv"), TextTableReader.Format.CSV,
                "missing", "label", null, "c"));
        assertThrows(AmalgamException.class, () -> TextTableReader.read(dir.resolve("d.tsv"), TextTableReader.Format.TSV,
                "sentence", "y", List.of("only"), "t"));
    }

    @Test
    void manifestRejectsUnknownKeys(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("m.yaml"), "name: x\nformat: csv\npath: d.csv\nlabelz: [a]\n");
        AmalgamException e = assertThrows(AmalgamException.class, () -> DatasetManifest.load(dir.resolve("m.yaml")));
        assertTrue(e.getMessage().contains("m.yaml"));
    }
}
