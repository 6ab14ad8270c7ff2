package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BitMasksTest {

    @Test
    void handWorkedLsbFirst() {
        ByteBuffer packed = BitMasks.pack(new boolean[]{true, false, false, true, false, false, false, false, false, true});
        assertEquals(2, packed.remaining());
        assertEquals(0b0000_1001, packed.get(0));
        assertEquals(0b0000_0010, packed.get(1));
    }

    @Test
    void nativePackingEqualsJavaPackingAndRoundTrips() {
        Random r = new Random(5);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int n : new int[]{0, 1, 7, 8, 9, 64, 1001}) {
                boolean[] mask = new boolean[n];
                for (int i = 0; i < n; i++) {
                    mask[i] = r.nextBoolean();
                }
                NDArray a = m.create(mask);
                ByteBuffer fromNative = BitMasks.pack(a);
                ByteBuffer fromJava = BitMasks.pack(mask);
                byte[] x = new byte[fromJava.remaining()];
                byte[] y = new byte[fromNative.remaining()];
                fromJava.duplicate().get(x);
                fromNative.duplicate().get(y);
                assertArrayEquals(x, y, "n=" + n);
                assertArrayEquals(mask, BitMasks.unpack(fromNative, n), "n=" + n);
            }
        }
    }
}
