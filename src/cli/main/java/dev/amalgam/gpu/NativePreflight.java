package dev.amalgam.gpu;

import ai.djl.util.Platform;
import ai.djl.util.Utils;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * Checks, before DJL loads anything native, that the JNI library DJL would pick matches the libtorch named by
 * PYTORCH_LIBRARY_PATH: version labels agree and {@code ldd -r} finds every library and symbol. A mismatch
 * loaded anyway kills the JVM at the first missing symbol, where no handler runs; here it is one line
 * naming what differs and the fix (docs/gpu.md#preflight). Without PYTORCH_LIBRARY_PATH there is nothing to
 * check: the CPU jar and DJL's own download each bring a JNI built for their libtorch.
 * PYTORCH_VERSION / PYTORCH_FLAVOR left unset are filled in (as system properties, which DJL reads like the
 * environment) from what the folder says of itself.
 */
public final class NativePreflight {
    /** The checked settings: the libtorch folder, its version and flavor, and the JNI that matched. */
    public record Result(Path libDir, String version, String flavor, String jni) {
    }

    private NativePreflight() {
    }

    /** The check with this process's environment and DJL's own resources; null when there was nothing to check. */
    public static Result run() {
        Map<String, String> env = System.getenv();
        String paths = env.get("PYTORCH_LIBRARY_PATH");
        if (paths == null || paths.isBlank() || "off".equalsIgnoreCase(env.getOrDefault("AMALGAM_PREFLIGHT", ""))) {
            return null; // and DJL's classes stay unloaded: a CPU run pays nothing for the check
        }
        Result r = check(env, Utils.getEngineCacheDir("pytorch"), Platform.detectPlatform("pytorch").getApiVersion(),
                LddReport::run);
        if (r != null) {
            System.setProperty("PYTORCH_VERSION", r.version());
            System.setProperty("PYTORCH_FLAVOR", r.flavor());
        }
        return r;
    }

    /**
     * The decision, with its inputs given: {@code env} (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR),
     * DJL's engine cache folder and API version, and {@code ldd} (JNI file, libtorch folder) → ldd's output.
     */
    public static Result check(Map<String, String> env, Path engineCacheDir, String apiVersion,
                               BiFunction<Path, Path, String> ldd) {
        String paths = env.get("PYTORCH_LIBRARY_PATH");
        if (paths == null || paths.isBlank()) {
            return null;
        }
        Path libDir = libTorchDir(paths);
        LibTorchVersion found = LibTorchVersion.detect(libDir);
        String version = env.getOrDefault("PYTORCH_VERSION", "");
        if (version.isBlank()) {
            if (found == null) {
                throw new AmalgamException("preflight: PYTORCH_VERSION is not set and " + libDir + " does not say which "
                        + "PyTorch it is: set PYTORCH_VERSION (e.g. 2.11.0) and PYTORCH_FLAVOR (e.g. cu130 or cpu)");
            }
            version = found.version();
        } else if (found != null && !sameVersion(version, found.version())) {
            throw new AmalgamException("preflight: PYTORCH_VERSION=" + version + " but the libtorch in " + libDir + " is "
                    + found.version() + " (" + found.source() + "): set PYTORCH_VERSION=" + found.version());
        }
        String flavor = env.getOrDefault("PYTORCH_FLAVOR", "");
        if (flavor.isBlank()) {
            flavor = found != null && found.flavor() != null ? found.flavor()
                    : Files.exists(libDir.resolve("libtorch_cuda.so")) ? null : "cpu";
            if (flavor == null) {
                throw new AmalgamException("preflight: PYTORCH_FLAVOR is not set and the CUDA version of " + libDir
                        + " is unknown: set PYTORCH_FLAVOR=cuXYZ for CUDA X.Y (e.g. cu130 for 13.0)");
            }
        }
        if (flavor.startsWith("cpu") && Files.exists(libDir.resolve("libtorch_cuda.so"))) {
            throw new AmalgamException("preflight: PYTORCH_FLAVOR=" + flavor + " but " + libDir + " is a CUDA build "
                    + "(libtorch_cuda.so): set PYTORCH_FLAVOR=" + (found != null && found.flavor() != null
                    && !found.flavor().startsWith("cpu") ? found.flavor() : "cuXYZ"));
        }
        Properties jar = jarProperties();
        String jarVersion = jar == null ? null : jar.getProperty("jni_version");
        JniLookup.Found jni = JniLookup.find(libDir, version, flavor, engineCacheDir, apiVersion, jarVersion,
                NativePreflight.class.getClassLoader().getResource(
                        "jnilib/" + JniLookup.CLASSIFIER + "/" + flavor + "/" + JniLookup.JNI_NAME) != null);
        if (jni == null) {
            throw new AmalgamException("preflight: no DJL JNI library for PyTorch " + version + " (" + flavor + "): none in "
                    + libDir + " nor at " + JniLookup.candidates(libDir, version, flavor, engineCacheDir, apiVersion).get(2)
                    + (jarVersion == null ? "" : ", and the pytorch-jni jar is for " + jarVersion.split("-")[0])
                    + " (DJL would try to download one); build it with src/scripts/gpu-kit/build-jni.sh (docs/gpu.md)");
        }
        Path file = jni.file() != null ? jni.file() : extract(jni.jarEntry());
        try {
            LddReport report = LddReport.parse(ldd.apply(file, libDir));
            if (!report.clean()) {
                String where = jni.file() != null ? jni.file().toString() : "the pytorch-jni jar's " + jni.jarEntry();
                String what = !report.missingLibraries().isEmpty()
                        ? "needs " + report.missingLibraries().get(0) + ", which is not in " + libDir + " nor on the loader's path"
                        : report.undefinedSymbols().size() + " undefined symbol(s) against it, first "
                        + report.undefinedSymbols().get(0);
                throw new AmalgamException("preflight: the DJL JNI library " + where + " does not match the libtorch in "
                        + libDir + " (PyTorch " + version + ", " + flavor + "): ldd -r: " + what + "; rebuild it against this "
                        + "torch with src/scripts/gpu-kit/build-jni.sh (docs/gpu.md#preflight)");
            }
        } finally {
            if (jni.file() == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary copy; the OS cleans its temp folder
                }
            }
        }
        return new Result(libDir, version, flavor, jni.file() != null ? jni.file().toString() : "jar:" + jni.jarEntry());
    }

    /** The first entry of PYTORCH_LIBRARY_PATH holding libtorch.so (DJL's rule), or a one-line refusal. */
    static Path libTorchDir(String paths) {
        for (String p : paths.split(":")) {
            if (p.isBlank()) {
                continue;
            }
            Path dir = Path.of(p);
            if (Files.isRegularFile(dir) && dir.getFileName().toString().equals("libtorch.so")) {
                return dir.toAbsolutePath().getParent();
            }
            if (Files.isRegularFile(dir.resolve("libtorch.so"))) {
                return dir.toAbsolutePath();
            }
        }
        throw new AmalgamException("preflight: PYTORCH_LIBRARY_PATH=" + paths + " has no libtorch.so; point it at torch's "
                + "lib folder (python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), \"lib\"))')");
    }

    /** "2.11.0" and "2.11.0+cu130" name the same version. */
    static boolean sameVersion(String a, String b) {
        return a.split("\\+")[0].trim().equals(b.split("\\+")[0].trim());
    }

    private static Properties jarProperties() {
        try (InputStream in = NativePreflight.class.getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path extract(String entry) {
        try (InputStream in = NativePreflight.class.getClassLoader().getResourceAsStream(entry)) {
            Path tmp = Files.createTempFile("amalgam-preflight-", "-" + JniLookup.JNI_NAME);
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new AmalgamException("preflight: cannot copy " + entry + " out of the pytorch-jni jar (" + e.getMessage() + ")");
        }
    }
}
