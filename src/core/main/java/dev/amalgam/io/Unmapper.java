package dev.amalgam.io;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;

/**
 * Releases a mapping now instead of at garbage collection. Java 17 has no public unmap; the supported
 * route is {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, which opens sun.misc). If it
 * is unavailable the mapping is simply left to the garbage collector. The caller must not touch the
 * buffer, or any slice or duplicate of it, afterwards (that would fault).
 */
final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invoke = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            invoke = c.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            invoke = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invoke;
    }

    private Unmapper() {
    }

    /** True when mappings can be released explicitly on this JVM. */
    static boolean available() {
        return INVOKE_CLEANER != null;
    }

    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector
        }
    }
}
