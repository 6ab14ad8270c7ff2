package dev.amalgam.merge.linalg;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Order of results, one libtorch thread inside, the previous thread count restored, failures rethrown, nesting. */
class ConcurrentTest {
    @Test
    void mapsInOrderWithOneIntraOpThreadAndRestoresTheCount() {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(i);
        }
        List<Integer> threadsInside = new ArrayList<>();
        List<Integer> out = Concurrent.map(items, i -> {
            synchronized (threadsInside) {
                threadsInside.add(JniUtils.getNumThreads());
            }
            return i * i;
        });
        for (int i = 0; i < 20; i++) {
            assertEquals(i * i, out.get(i));
        }
        if (Runtime.getRuntime().availableProcessors() > 1) {
            threadsInside.forEach(n -> assertEquals(1, n));
        }
        assertEquals(before, JniUtils.getNumThreads());
        // nested maps run inline instead of waiting for a busy pool
        List<List<Integer>> nested = Concurrent.map(List.of(1, 2, 3), a -> Concurrent.map(List.of(a, a + 1), b -> a * b));
        assertEquals(List.of(List.of(1, 2), List.of(4, 6), List.of(9, 12)), nested);
    }

    @Test
    void aFailureIsRethrownAndTheCountStillRestored() {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Concurrent.map(List.of(1, 2, 3), i -> {
            if (i == 2) {
                throw new IllegalArgumentException("task " + i);
            }
            return i;
        }));
        assertEquals("task 2", e.getMessage());
        assertEquals(before, JniUtils.getNumThreads());
    }
}
