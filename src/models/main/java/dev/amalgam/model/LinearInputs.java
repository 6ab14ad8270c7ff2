package dev.amalgam.model;

import ai.djl.ndarray.NDArray;

/**
 * A per-thread tap on the inputs of {@link Ops#linear}: data-aware merges (RegMean's Gram matrices)
 * need what each linear layer sees, and every model's forward pass goes through that one op. The
 * observer gets the weight array (identify it by reference: the array its {@link WeightLookup}
 * returned) and the input; with no observer installed the tap costs one thread-local read.
 */
public final class LinearInputs {
    /** Receives one linear call: its weight [out, in] and its input [..., in]. */
    public interface Observer {
        void observe(NDArray weight, NDArray input);

        /** Receives one Conv1D call (GPT-2): its weight [in, out] and its input [..., in]. */
        default void observeInOut(NDArray weight, NDArray input) {
        }
    }

    private static final ThreadLocal<Observer> CURRENT = new ThreadLocal<>();

    private LinearInputs() {
    }

    static void observe(NDArray weight, NDArray input) {
        Observer o = CURRENT.get();
        if (o != null) {
            o.observe(weight, input);
        }
    }

    static void observeInOut(NDArray weight, NDArray input) {
        Observer o = CURRENT.get();
        if (o != null) {
            o.observeInOut(weight, input);
        }
    }

    /** Installs {@code observer} on this thread until the returned handle is closed. */
    public static Installed install(Observer observer) {
        Observer previous = CURRENT.get();
        CURRENT.set(observer);
        return () -> CURRENT.set(previous);
    }

    /** Removes the observer (restores the one before it). */
    public interface Installed extends AutoCloseable {
        @Override
        void close();
    }
}
