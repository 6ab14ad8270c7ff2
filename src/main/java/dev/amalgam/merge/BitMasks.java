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

    public static boolean[] unpack(ByteBuffer packed, int n) {
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
            mask[i] = (packed.get(packed.position() + (i >>> 3)) & (1 << (i & 7))) != 0;
        }
        return mask;
    }
}
