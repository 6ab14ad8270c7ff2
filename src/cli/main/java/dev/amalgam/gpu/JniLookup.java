package dev.amalgam.gpu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where DJL 0.35.1 takes its JNI library ({@code libdjl_torch.so}) from when PYTORCH_LIBRARY_PATH names
 * a libtorch folder, in DJL's order (its {@code LibUtils.findJniLibrary}): the folder itself
 * ({@code <api>-libdjl_torch.so}, then {@code libdjl_torch.so}), then the engine cache
 * ({@code <cache>/<version>-<flavor>-<classifier>/<api>-libdjl_torch.so}), then the pytorch-jni jar, only
 * when the jar's {@code jni_version} starts with {@code <version>-<api>}; otherwise DJL downloads one,
 * which fails offline (docs/gpu.md#preflight).
 */
public final class JniLookup {
    public static final String JNI_NAME = "libdjl_torch.so";
    public static final String CLASSIFIER = "linux-x86_64";

    /** The JNI DJL would load: a file, or an entry of the pytorch-jni jar ({@code jarEntry} not null). */
    public record Found(Path file, String jarEntry) {
    }

    private JniLookup() {
    }

    /** The files DJL tries, in its order. */
    public static List<Path> candidates(Path libDir, String version, String flavor, Path engineCacheDir, String apiVersion) {
        return List.of(libDir.resolve(apiVersion + "-" + JNI_NAME), libDir.resolve(JNI_NAME),
                engineCacheDir.resolve(version + "-" + flavor + "-" + CLASSIFIER).resolve(apiVersion + "-" + JNI_NAME));
    }

    /**
     * @param jarJniVersion the jar's {@code jni_version} (e.g. "2.7.1-0.35.1"), or null without the jar
     * @param jarHasFlavor  whether the jar carries {@code jnilib/<classifier>/<flavor>/libdjl_torch.so}
     * @return what DJL would load, or null when it would try to download
     */
    public static Found find(Path libDir, String version, String flavor, Path engineCacheDir, String apiVersion,
                             String jarJniVersion, boolean jarHasFlavor) {
        for (Path p : candidates(libDir, version, flavor, engineCacheDir, apiVersion)) {
            if (Files.isRegularFile(p)) {
                return new Found(p, null);
            }
        }
        if (jarJniVersion != null && jarJniVersion.startsWith(version + "-" + apiVersion) && jarHasFlavor) {
            return new Found(null, "jnilib/" + CLASSIFIER + "/" + flavor + "/" + JNI_NAME);
        }
        return null;
    }
}
