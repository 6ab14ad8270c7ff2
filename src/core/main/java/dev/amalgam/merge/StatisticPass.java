package dev.amalgam.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One full stream over the float tensors that a method needs before it can merge (a global top-k
 * threshold, EMR's rescalers, LwPTV's saliency). The executor streams every tensor through
 * {@link #observe} in sorted-name order, then calls {@link #end}. Passes keep Java primitives, never a
 * step's NDArrays (the step's manager is closed after the call).
 */
public interface StatisticPass {

    /** What the pass computes, shown in progress output (e.g. "ties: global magnitude threshold, high bits"). */
    String name();

    void observe(TensorStep step);

    default void end() {
    }

    /** A pass from its parts. */
    static StatisticPass of(String name, Consumer<TensorStep> observe, Runnable end) {
        return new StatisticPass() {
            public String name() {
                return name;
            }

            public void observe(TensorStep step) {
                observe.accept(step);
            }

            public void end() {
                end.run();
            }
        };
    }

    /** Named passes over one int-indexed implementation (pass i observes with i, ends with i). */
    static List<StatisticPass> indexed(List<String> names, java.util.function.ObjIntConsumer<TensorStep> observe,
                                       java.util.function.IntConsumer end) {
        List<StatisticPass> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int pass = i;
            out.add(of(names.get(i), s -> observe.accept(s, pass), () -> end.accept(pass)));
        }
        return out;
    }

    /** The passes of {@code inner}, renamed with a prefix and with each step transformed first (wrappers). */
    static List<StatisticPass> wrap(List<StatisticPass> inner, String prefix, java.util.function.UnaryOperator<TensorStep> map) {
        List<StatisticPass> out = new ArrayList<>();
        for (StatisticPass p : inner) {
            out.add(of(prefix + p.name(), s -> p.observe(map.apply(s)), p::end));
        }
        return out;
    }
}
