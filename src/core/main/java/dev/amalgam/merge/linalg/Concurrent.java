package dev.amalgam.merge.linalg;

import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs independent decompositions (one per task, or the two polar factors) on all cores at once,
 * each with a single libtorch intra-op thread. LAPACK's eigh/SVD parallelise poorly inside one call
 * (much of the work is memory-bound level-2 BLAS), and OpenMP teams stall whenever one of their
 * threads is descheduled on a busy machine; independent calls on separate threads keep every core
 * busy without synchronising. libtorch's intra-op thread count is process-wide, so it is set to 1 for
 * the duration of a call and restored afterwards; callers run one step at a time.
 */
public final class Concurrent {
    private static final int WORKERS = Runtime.getRuntime().availableProcessors();
    private static final Object LOCK = new Object();
    private static ExecutorService pool;
    /** Nested calls (a worker mapping again) run inline: the pool is busy with their parents. */
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);

    private Concurrent() {
    }

    /** f over the items, in order; concurrently when there are several cores and items. */
    public static <A, R> List<R> map(List<A> items, Function<A, R> f) {
        List<R> out = new ArrayList<>(items.size());
        if (WORKERS < 2 || items.size() < 2 || IN_WORKER.get()) {
            for (A a : items) {
                out.add(f.apply(a));
            }
            return out;
        }
        synchronized (LOCK) {
            int before = JniUtils.getNumThreads();
            JniUtils.setNumThreads(1);
            try {
                List<Future<R>> futures = new ArrayList<>(items.size());
                for (A a : items) {
                    futures.add(pool().submit(() -> f.apply(a)));
                }
                for (Future<R> fu : futures) {
                    out.add(get(fu));
                }
            } finally {
                JniUtils.setNumThreads(before);
            }
        }
        return out;
    }

    private static <R> R get(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    private static ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(WORKERS, r -> {
                Thread t = new Thread(() -> {
                    IN_WORKER.set(true);
                    r.run();
                }, "amalgam-linalg");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
