package dev.amalgam.demo.image;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.amalgam.demo.TextZoo;

/**
 * Runs a zoo build with a fixed number of libtorch intra-op threads (default 1; set
 * {@code -Damalgam.zoo.threads=N}, e.g. through {@code AMALGAM_JAVA_OPTS}), restoring the previous
 * count afterwards. The image zoo's tiny CLIP is small enough that libtorch's second OpenMP thread
 * mostly waits: on the shared 2-core machine one thread cut the CPU time of a fine-tuning step 13×
 * and its wall time 14× (docs/image-suite.md). The text zoo does not use it (see {@code TextZoo.build}).
 */
public final class ZooThreads {
    public static final String PROPERTY = "amalgam.zoo.threads";

    private ZooThreads() {
    }

    public static int configured() {
        String v = System.getProperty(PROPERTY, "1");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new dev.amalgam.AmalgamException("-D" + PROPERTY + " must be a positive integer, got '" + v + "'");
    }

    public static <T> T run(java.util.function.Supplier<T> build) {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(configured());
        try {
            return build.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
