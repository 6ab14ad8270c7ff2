package dev.amalgam.io;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** Bulk conversions between raw little-endian tensor bytes of a float dtype and F32 values. */
public final class DTypeConversion {
    private DTypeConversion() {
    }

    /** Decodes {@code src} (position 0..limit, of float dtype {@code dtype}) into {@code dst}. */
    public static void toFloat32(ByteBuffer src, DType dtype, FloatBuffer dst) {
        ByteBuffer le = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> dst.put(le.asFloatBuffer());
            case F64 -> {
                DoubleBuffer d = le.asDoubleBuffer();
                int n = d.remaining();
                for (int i = 0; i < n; i++) {
                    dst.put((float) d.get(i));
                }
            }
            case F16 -> {
                ShortBuffer s = le.asShortBuffer();
                int n = s.remaining();
                for (int i = 0; i < n; i++) {
                    dst.put(Float16.toFloat(s.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer s = le.asShortBuffer();
                int n = s.remaining();
                for (int i = 0; i < n; i++) {
                    dst.put(BFloat16.toFloat(s.get(i)));
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }

    /** Decodes a whole float tensor into a new array (tests, small tensors). */
    public static float[] toFloatArray(ByteBuffer src, DType dtype) {
        float[] out = new float[Math.toIntExact(src.remaining() / dtype.byteSize())];
        toFloat32(src, dtype, FloatBuffer.wrap(out));
        return out;
    }

    /** Encodes F32 values into a new little-endian buffer of {@code target} (a float dtype), flipped. */
    public static ByteBuffer fromFloat32(FloatBuffer src, DType target) {
        int n = src.remaining();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, target.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (target) {
            case F32 -> out.asFloatBuffer().put(src.duplicate());
            case F64 -> {
                DoubleBuffer d = out.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    d.put(i, src.get(src.position() + i));
                }
            }
            case F16 -> {
                ShortBuffer s = out.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    s.put(i, Float16.fromFloat(src.get(src.position() + i)));
                }
            }
            case BF16 -> {
                ShortBuffer s = out.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    s.put(i, BFloat16.fromFloat(src.get(src.position() + i)));
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + target);
        }
        return out;
    }

    public static ByteBuffer fromFloatArray(float[] values, DType target) {
        return fromFloat32(FloatBuffer.wrap(values), target);
    }

    /**
     * Converts a float tensor's bytes from one float dtype to another (through F32, in chunks, so the
     * only large allocation is the output). Returns {@code src} itself when the dtypes are equal.
     */
    public static ByteBuffer convert(ByteBuffer src, DType from, DType to) {
        if (from == to) {
            return src;
        }
        int n = Math.toIntExact(src.remaining() / from.byteSize());
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, to.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        int chunk = 1 << 16;
        float[] tmp = new float[chunk];
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = in.position();
        for (int start = 0; start < n; start += chunk) {
            int len = Math.min(chunk, n - start);
            ByteBuffer part = in.slice(base + start * from.byteSize(), len * from.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer f = FloatBuffer.wrap(tmp, 0, len);
            toFloat32(part, from, f);
            out.put(fromFloat32(FloatBuffer.wrap(tmp, 0, len), to));
        }
        return out.flip();
    }
}
