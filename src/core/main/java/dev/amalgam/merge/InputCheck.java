package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.RenamedSource;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks that every fine-tuned checkpoint has exactly the base's tensor names and shapes, and
 * explains the common failure (a vocabulary resized after fine-tuning) instead of a bare mismatch.
 */
public final class InputCheck {
    private static final int SHOW = 5;
    private static final Pattern EMBEDDING = Pattern.compile(
            "(embed_tokens|word_embeddings|token_embedding|wte|lm_head|embed_out|output\\.weight$)");

    private InputCheck() {
    }

    public static void check(MergeInputs in) {
        check(in, false);
    }

    public static void check(MergeInputs in, boolean allowNoTasks) {
        if (in.taskCount() == 0 && !allowNoTasks) {
            throw new AmalgamException("no fine-tuned models given");
        }
        TensorSource base = in.base();
        Set<String> baseNames = new TreeSet<>(base.names());
        if (baseNames.isEmpty()) {
            throw new AmalgamException(base.describe() + ": checkpoint has no tensors");
        }
        for (TensorSource m : in.models()) {
            Set<String> names = new TreeSet<>(m.names());
            List<String> problems = new ArrayList<>();
            for (String n : baseNames) {
                if (!names.contains(n)) {
                    problems.add("missing '" + n + "'");
                }
            }
            for (String n : names) {
                if (!baseNames.contains(n)) {
                    problems.add("extra '" + n + "' (not in base)");
                }
            }
            if (!problems.isEmpty()) {
                throw new AmalgamException(m.describe() + ": tensor names differ from base " + base.describe()
                        + " (different architecture?): " + first(problems));
            }
            for (String n : baseNames) {
                TensorInfo b = base.info(n);
                TensorInfo x = m.info(n);
                if (!Arrays.equals(b.shape(), x.shape())) {
                    problems.add(explainShape(b, x, m instanceof RenamedSource r ? r.originName(n) : n));
                } else if (b.dtype().isFloat() != x.dtype().isFloat()) {
                    problems.add("'" + n + "' is " + x.dtype() + " but " + b.dtype() + " in base");
                }
            }
            if (!problems.isEmpty()) {
                throw new AmalgamException(m.describe() + ": shapes differ from base " + base.describe() + ": " + first(problems));
            }
        }
    }

    /** @param own the fine-tune's own name for the tensor (differs from the base's when renamed) */
    private static String explainShape(TensorInfo b, TensorInfo x, String own) {
        String msg = "'" + own + "' " + Arrays.toString(x.shape()) + " vs base "
                + (own.equals(b.name()) ? "" : "'" + b.name() + "' ") + Arrays.toString(b.shape());
        if (EMBEDDING.matcher(b.name()).find() && b.shape().length == 2 && x.shape().length == 2
                && b.shape()[1] == x.shape()[1] && b.shape()[0] != x.shape()[0]) {
            long extra = x.shape()[0] - b.shape()[0];
            msg += " — vocabulary size differs (" + x.shape()[0] + " vs " + b.shape()[0] + " tokens): the fine-tune "
                    + (extra > 0 ? "added " + extra : "removed " + -extra) + " tokens; merge over the union of the "
                    + "vocabularies with a recipe's 'tokenizer_source: union' (docs/mergekit.md)";
        }
        return msg;
    }

    static String first(List<String> problems) {
        String s = String.join("; ", problems.subList(0, Math.min(SHOW, problems.size())));
        return problems.size() > SHOW ? s + "; … and " + (problems.size() - SHOW) + " more" : s;
    }
}
