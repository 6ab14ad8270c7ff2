package dev.amalgam.merge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bit-packing of boolean masks: bit i of byte j holds element 8j + i (LSB first). */
public final class BitMasks {
    private BitMasks() {
    }

    public static ByteBuffer pack(boolean[] mask) {
        byte[] out = new byte[(mask.length + 7) / 8];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Packs a BOOLEAN array straight from its native bytes (one 0/1 byte per element), eight elements
     * per multiply: for a little-endian word of 0/1 bytes b_0..b_7, the top byte of
     * word · 0x0102040810204080 is Σ b_i 2^i.
     */
    public static ByteBuffer pack(ai.djl.ndarray.NDArray mask) {
        if (mask.getDataType() != ai.djl.ndarray.types.DataType.BOOLEAN) {
            return pack(mask.toBooleanArray());
        }
        int n = Math.toIntExact(mask.getShape().size());
        byte[] out = new byte[(n + 7) / 8];
        if (n == 0) {
            return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer in = mask.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
        int words = n / 8;
        for (int w = 0; w < words; w++) {
            out[w] = (byte) ((in.getLong(8 * w) * 0x0102040810204080L) >>> 56);
        }
        for (int i = 8 * words; i < n; i++) {
            if (in.get(i) != 0) {
                out[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static boolean[] unpack(ByteBuffer packed, int n) {
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = (packed.get(packed.position() + (i >>> 3)) & (1 << (i & 7))) != 0;
        }
        return mask;
    }
}
