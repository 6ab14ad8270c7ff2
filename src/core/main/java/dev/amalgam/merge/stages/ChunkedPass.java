package dev.amalgam.merge.stages;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The loop every fused kernel runs in: elements [0, n) of a step are cut into chunks of
 * {@link #CHUNK}; for each chunk the T task-vector values (and θ_0 when asked) are copied into small
 * Java arrays, a body computes, and an output chunk is copied back. Contiguous blocks of chunks run in
 * parallel, each with its own state (scratch arrays, partial sums), so one pass reads every input
 * element once and writes every output element once, with no [T, n] temporaries.
 */
public final class ChunkedPass {
    /** Elements per chunk: T + 2 chunks of floats stay well inside L2. */
    public static final int CHUNK = 4096;

    private ChunkedPass() {
    }

    /** Per-block state: the chunk arrays plus whatever the body accumulates. */
    public static class Block {
        public final float[][] tv;
        public final float[] base;
        public final float[] out;

        protected Block(int tasks) {
            tv = new float[tasks][CHUNK];
            base = new float[CHUNK];
            out = new float[CHUNK];
        }
    }

    /** One chunk: elements [start, start + len) are in b.tv[t][0..len) (and b.base); write b.out. */
    public interface Body<B extends Block> {
        void chunk(B b, int start, int len);
    }

    /**
     * Runs {@code body} over every chunk of {@code v}; reads θ_0 when {@code readBase}; copies b.out to
     * {@code out} when it is non-null. Returns the blocks, for reductions.
     */
    public static <B extends Block> List<B> run(StepViews v, boolean readBase, FloatBuffer out,
                                                Supplier<B> blocks, Body<B> body) {
        int n = v.n();
        int chunks = (n + CHUNK - 1) / CHUNK;
        int parallel = Math.max(1, Math.min(chunks, 4 * Runtime.getRuntime().availableProcessors()));
        List<B> states = new ArrayList<>(parallel);
        for (int i = 0; i < parallel; i++) {
            states.add(blocks.get());
        }
        int tasks = v.tasks();
        IntStream.range(0, parallel).parallel().forEach(blockIndex -> {
            B b = states.get(blockIndex);
            long firstChunk = (long) chunks * blockIndex / parallel;
            long endChunk = (long) chunks * (blockIndex + 1) / parallel;
            for (long c = firstChunk; c < endChunk; c++) {
                int start = (int) (c * CHUNK);
                int len = Math.min(CHUNK, n - start);
                for (int t = 0; t < tasks; t++) {
                    v.rows()[t].get(start, b.tv[t], 0, len);
                }
                if (readBase) {
                    v.base().get(start, b.base, 0, len);
                }
                body.chunk(b, start, len);
                if (out != null) {
                    out.put(start, b.out, 0, len);
                }
            }
        });
        return states;
    }
}
