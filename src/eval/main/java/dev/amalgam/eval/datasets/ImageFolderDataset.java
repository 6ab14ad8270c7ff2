package dev.amalgam.eval.datasets;

import dev.amalgam.AmalgamException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Image files with labels; each image is decoded from disk when requested. */
public final class ImageFolderDataset implements Dataset<ImageExample> {
    private final String name;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;

    ImageFolderDataset(String name, List<String> classNames, List<Path> files, int[] labels) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
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
        return files.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /** The same files and labels under other class names (same count). */
    public ImageFolderDataset withClassNames(List<String> names) {
        if (names.size() != classNames.size()) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " classes, " + names.size() + " names given");
        }
        return new ImageFolderDataset(name, names, files, labels);
    }

    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public ImageExample get(int index) {
        Path f = files.get(index);
        try {
            BufferedImage im = ImageIO.read(f.toFile());
            if (im == null) {
                throw new AmalgamException(f + ": not a readable image");
            }
            return new ImageExample(im, labels[index]);
        } catch (IOException e) {
            throw new AmalgamException(f + ": cannot decode image (" + e.getMessage() + ")", e);
        }
    }
}
