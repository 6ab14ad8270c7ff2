package dev.amalgam.gpu;

import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ldd -r} says of a shared library: the libraries it needs that the loader cannot find and
 * the symbols that stay undefined once everything is loaded. A DJL JNI library built for another
 * libtorch loads fine and dies at the first call of a missing symbol, so this is checked before the
 * JVM loads it (docs/gpu.md#preflight).
 */
public record LddReport(List<String> missingLibraries, List<String> undefinedSymbols) {
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");
    private static final Pattern UNDEFINED = Pattern.compile("^\\s*undefined symbol:\\s+(\\S+)");

    public boolean clean() {
        return missingLibraries.isEmpty() && undefinedSymbols.isEmpty();
    }

    /** Parses the text {@code ldd -r FILE} prints (glibc's format). */
    public static LddReport parse(String output) {
        List<String> missing = new ArrayList<>();
        List<String> undefined = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = NOT_FOUND.matcher(line);
            if (m.find()) {
                missing.add(m.group(1));
                continue;
            }
            m = UNDEFINED.matcher(line);
            if (m.find()) {
                undefined.add(m.group(1));
            }
        }
        return new LddReport(List.copyOf(missing), List.copyOf(undefined));
    }

    /** Runs {@code ldd -r library} with {@code libDir} first on the loader's path (as DJL loads libtorch from it). */
    public static String run(Path library, Path libDir) {
        ProcessBuilder pb = new ProcessBuilder("ldd", "-r", library.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        String old = env.get("LD_LIBRARY_PATH");
        env.put("LD_LIBRARY_PATH", libDir + (old == null || old.isEmpty() ? "" : ":" + old));
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AmalgamException("preflight: 'ldd -r " + library + "' did not finish in 120 s");
            }
            return out;
        } catch (IOException e) {
            throw new AmalgamException("preflight: cannot run ldd to check " + library + " (" + e.getMessage()
                    + "); install libc-bin, or set AMALGAM_PREFLIGHT=off to load it unchecked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmalgamException("preflight: interrupted while checking " + library);
        }
    }
}
