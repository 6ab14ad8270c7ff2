package dev.amalgam.merge.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.eval.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A folder's images (searched recursively), decoded on demand and preprocessed as the CLIP eval
 * transforms do ({@link ClipPreprocess}: shorter side resized to the model's image size, centre crop,
 * CLIP mean/std), one batch at a time.
 */
final class ImageFolderExamples implements TaskExamples {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final List<Path> files;
    private final ClipPreprocess preprocess;

    ImageFolderExamples(List<Path> files, ClipPreprocess preprocess) {
        this.files = List.copyOf(files);
        this.preprocess = preprocess;
    }

    /** The image files under {@code dir} in path order; none is refused with one line. */
    static List<Path> list(Path dir, String key) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> found = s.filter(Files::isRegularFile).filter(ImageFolderExamples::isImage).sorted().toList();
            if (found.isEmpty()) {
                throw new AmalgamException(key + ": " + dir + ": no images (" + new java.util.TreeSet<>(EXTENSIONS) + ")");
            }
            return found;
        } catch (IOException e) {
            throw new AmalgamException(key + ": " + dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public NDList batch(int from, int to, NDManager m) {
        int side = preprocess.size();
        int per = 3 * side * side;
        float[] buf = new float[(to - from) * per];
        IntStream.range(from, to).parallel().forEach(i -> {
            float[] f = preprocess.apply(RgbImage.of(decode(files.get(i)))).data();
            System.arraycopy(f, 0, buf, (i - from) * per, per);
        });
        return new NDList(m.create(buf, new Shape(to - from, 3, side, side)));
    }

    private static BufferedImage decode(Path file) {
        try {
            BufferedImage im = ImageIO.read(file.toFile());
            if (im == null) {
                throw new AmalgamException(file + ": not a readable image");
            }
            return im;
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read image (" + e.getMessage() + ")");
        }
    }
}
