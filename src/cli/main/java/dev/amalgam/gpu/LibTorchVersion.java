package dev.amalgam.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch version and DJL flavor ({@code cpu}, {@code cu130}, …) of a libtorch folder, read from what
 * the folder's distribution leaves next to it: pip's {@code torch/version.py} (lib/ is {@code torch/lib}),
 * a libtorch zip's {@code build-version}, or the name of a DJL cache folder. {@code flavor} is null
 * when the label has no {@code +cuXXX}/{@code +cpu} part.
 */
public record LibTorchVersion(String version, String flavor, String source) {
    private static final Pattern LABEL = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)(?:[a-z]+\\d*)?(?:\\+([a-z0-9]+))?$");
    private static final Pattern PY_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern PY_CUDA = Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*['\"]([0-9.]+)['\"]");
    private static final Pattern DJL_CACHE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)(?:-\\d+)?-(cpu|cu\\d+)(?:-precxx11)?-linux-[a-z0-9_]+$");

    /** "2.11.0+cu130" → (2.11.0, cu130); "2.7.1" → (2.7.1, null); null when it is no version label. */
    public static LibTorchVersion parseLabel(String label, String source) {
        Matcher m = LABEL.matcher(label.trim());
        if (!m.matches()) {
            return null;
        }
        return new LibTorchVersion(m.group(1), m.group(2), source);
    }

    /** DJL's flavor for a CUDA version "13.0" → "cu130", "12.8" → "cu128". */
    public static String flavorOfCuda(String cuda) {
        String[] p = cuda.split("\\.");
        return "cu" + p[0] + (p.length > 1 ? p[1] : "0");
    }

    /** What the folder tells of itself, or null when nothing does. */
    public static LibTorchVersion detect(Path libDir) {
        Path parent = libDir.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            Path py = parent.resolve("version.py");
            if (Files.isRegularFile(py)) {
                String text = read(py);
                Matcher v = PY_VERSION.matcher(text);
                if (v.find()) {
                    LibTorchVersion l = parseLabel(v.group(1), py.toString());
                    if (l != null && l.flavor() == null) {
                        Matcher c = PY_CUDA.matcher(text);
                        l = new LibTorchVersion(l.version(), c.find() ? flavorOfCuda(c.group(1)) : "cpu", l.source());
                    }
                    if (l != null) {
                        return l;
                    }
                }
            }
            Path build = parent.resolve("build-version");
            if (Files.isRegularFile(build)) {
                LibTorchVersion l = parseLabel(read(build), build.toString());
                if (l != null) {
                    return l;
                }
            }
        }
        Path name = libDir.toAbsolutePath().normalize().getFileName();
        Matcher m = name == null ? null : DJL_CACHE.matcher(name.toString());
        if (m != null && m.matches()) {
            return new LibTorchVersion(m.group(1), m.group(2), "the folder's name");
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
