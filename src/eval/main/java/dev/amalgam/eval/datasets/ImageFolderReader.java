package dev.amalgam.eval.datasets;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an image folder: {@code root/[split/]<class dir>/<image files>}. Label order of the class
 * directories:
 * <ol>
 *   <li>as listed in {@code classDirs} when given (the manifest's {@code class_dirs});</li>
 *   <li>else, when every directory name is {@code <n>} or {@code <n>_<anything>}, by the number n;</li>
 *   <li>else lexicographic (torchvision's ImageFolder convention).</li>
 * </ol>
 * Class names are {@code classNames} when given (must match the number of directories), else
 * derived from directory names (numeric prefix dropped, '_' to ' ').
 */
public final class ImageFolderReader {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "ppm", "pgm", "tif", "tiff");
    private static final Pattern NUMBERED = Pattern.compile("(\\d+)(?:_(.*))?");

    private ImageFolderReader() {
    }

    /** The split directory {@code root/split} when it exists, else {@code root} itself (split == null). */
    public static Path splitDir(Path root, String split) {
        if (split == null) {
            return root;
        }
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new AmalgamException(root + ": no split directory '" + split + "'");
        }
        return dir;
    }

    public static ImageFolderDataset read(Path dir, List<String> classDirs, List<String> classNames, String name) {
        if (!Files.isDirectory(dir)) {
            throw new AmalgamException(dir + ": not a directory");
        }
        List<String> dirs = classDirs != null && !classDirs.isEmpty() ? classDirs : orderedClassDirs(dir);
        if (dirs.isEmpty()) {
            throw new AmalgamException(dir + ": no class sub-directories");
        }
        List<String> names = classNames;
        if (names == null || names.isEmpty()) {
            names = dirs.stream().map(ImageFolderReader::nameOfDir).toList();
        } else if (names.size() != dirs.size()) {
            throw new AmalgamException(dir + ": " + dirs.size() + " class directories but " + names.size() + " class names");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < dirs.size(); c++) {
            Path cd = dir.resolve(dirs.get(c));
            if (!Files.isDirectory(cd)) {
                throw new AmalgamException(cd + ": class directory missing");
            }
            for (Path f : imagesIn(cd)) {
                files.add(f);
                labels.add(c);
            }
        }
        return new ImageFolderDataset(name, names, files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    static List<String> orderedClassDirs(Path dir) {
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        boolean allNumbered = !names.isEmpty() && names.stream().allMatch(n -> NUMBERED.matcher(n).matches());
        if (allNumbered) {
            return names.stream().sorted(Comparator.comparingLong(ImageFolderReader::number)
                    .thenComparing(Comparator.naturalOrder())).toList();
        }
        return names;
    }

    private static long number(String dirName) {
        Matcher m = NUMBERED.matcher(dirName);
        m.matches();
        return Long.parseLong(m.group(1));
    }

    static String nameOfDir(String dirName) {
        Matcher m = NUMBERED.matcher(dirName);
        String n = m.matches() && m.group(2) != null ? m.group(2) : dirName;
        return n.replace('_', ' ');
    }

    private static List<Path> imagesIn(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir)) {
            return s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
        } catch (IOException e) {
            throw new AmalgamException(classDir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
