package dev.amalgam.demo.image;

import dev.amalgam.train.clip.ContrastivePretrainer;
import dev.amalgam.train.clip.VisionFineTuner;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A miniature image zoo built in its own JVM for {@link ImageZooReproducibilityTest}: {@code ZOO_DIR}.
 * A daemon thread calls {@code System.gc()} every 2 ms throughout, so direct buffers that Java no
 * longer references are freed while training runs, as a long build's GCs do at unpredictable steps.
 */
public final class MiniZooBuild {
    private MiniZooBuild() {
    }

    static ImageZoo.Options options() {
        return new ImageZoo.Options(3, new TaskData.Sizes(32, 8, 8, 8), new PretrainMix.Sizes(32, 32, 32, 32),
                new ContrastivePretrainer.Settings(40, 16, 1e-3f, 0.1f, 0.1, 1),
                new VisionFineTuner.Settings(10, 16, 1e-3f, 0.1f, 0.1, 2), false,
                new PrintStream(PrintStream.nullOutputStream()));
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Thread gc = new Thread(() -> {
            while (true) {
                System.gc();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-pressure");
        gc.setDaemon(true);
        gc.start();
        ImageZoo.build(Path.of(args[0]), options());
    }
}
