package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.DigitsReader;
import dev.amalgam.eval.datasets.synthetic.FontCatalog;
import dev.amalgam.testutil.PackagedData;

/** The packaged sources of the image suite, as the image tests need them (see {@link PackagedData}). */
final class PackagedImageData {
    private PackagedImageData() {
    }

    /** Fashion-MNIST, scikit-learn's digits and the held-out fonts. */
    static void present() {
        PackagedData.present(FashionManifest.dataDir().resolve("train-images-idx3-ubyte.gz"), "dataset-fashion-mnist");
        PackagedData.present(DigitsReader.DEBIAN_PATH, "python3-sklearn");
        PackagedData.present(FontCatalog.HELD_OUT.get(0).path(), "Debian fonts");
    }
}
