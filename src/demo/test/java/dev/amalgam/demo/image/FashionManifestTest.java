package dev.amalgam.demo.image;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.IdxDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image suite finds Fashion-MNIST through datasets/fashion-mnist.yaml, and says in one line when it cannot. */
class FashionManifestTest {

    @AfterEach
    void clear() {
        System.clearProperty(FashionManifest.PROPERTY);
    }

    @Test
    void theRepositoryManifestIsFoundFromAModuleDirectory() {
        Path m = FashionManifest.locate();
        assertTrue(m.endsWith(FashionManifest.RELATIVE), m.toString());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionManifest.dataDir());
    }

    @Test
    void aMissingManifestIsOneLine(@TempDir Path dir) {
        System.setProperty(FashionManifest.PROPERTY, dir.resolve("nope.yaml").toString());
        AmalgamException e = assertThrows(AmalgamException.class, FashionManifest::locate);
        assertTrue(e.getMessage().contains("nope.yaml") && e.getMessage().contains("not found"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aManifestOfAnotherFormatIsRefused(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("fashion.yaml");
        Files.writeString(m, "name: x\nformat: csv\npath: .\nsplits:\n  train: {file: t.csv}\n");
        System.setProperty(FashionManifest.PROPERTY, m.toString());
        AmalgamException e = assertThrows(AmalgamException.class, () -> FashionManifest.split("train"));
        assertTrue(e.getMessage().contains("not an image format"), e.getMessage());
        Files.writeString(m, "name: x\nformat: idx\n");
        e = assertThrows(AmalgamException.class, () -> FashionManifest.split("train"));
        assertTrue(e.getMessage().startsWith(m.toString()) && e.getMessage().contains("needs name, format and path"),
                e.getMessage());
    }

    @Test
    void aManifestElsewhereIsRead(@TempDir Path dir) throws IOException {
        dev.amalgam.testutil.PackagedData.present(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"),
                "dataset-fashion-mnist");
        Path m = dir.resolve("fashion.yaml");
        Files.writeString(m, "name: f\nformat: idx\npath: /usr/share/datasets/fashion-mnist\nlabels: [a, b, c, d, e, f,"
                + " g, h, i, j]\nsplits:\n  test: {images: t10k-images-idx3-ubyte.gz, labels: t10k-labels-idx1-ubyte.gz}\n");
        System.setProperty(FashionManifest.PROPERTY, m.toString());
        IdxDataset test = FashionManifest.split("test");
        // Fashion-MNIST's t10k file: 10000 images; the first is an ankle boot (class 9), the second a pullover (2).
        assertEquals(10_000, test.size());
        assertEquals(9, test.label(0));
        assertEquals(2, test.label(1));
    }
}
