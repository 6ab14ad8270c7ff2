package dev.amalgam.merge.mergekit;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.MergeInputs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * MergeKit's handling of token-embedding matrices whose row counts differ (a fine-tune that added
 * tokens, merged without a tokenizer merge): the task-arithmetic family cuts each model's matrix to the
 * base's rows (generalized_task_arithmetic.py); linear, slerp, nuslerp, karcher, model_stock and
 * arcee_fusion cut every input to the rows all of them have (rectify_embed.py). Rows are the leading
 * part of a row-major matrix, so the cut is a prefix of the bytes; nothing is copied.
 */
public final class EmbeddingRows {
    private static final Set<String> COMMON = Set.of("linear", "slerp", "nuslerp", "karcher", "model_stock", "arcee_fusion");

    private EmbeddingRows() {
    }

    /** The inputs with mismatched embedding matrices cut as MergeKit cuts them for {@code method}. */
    public static MergeInputs rectify(MergeInputs in, String method) {
        List<TensorSource> all = new ArrayList<>(in.models());
        all.add(in.base());
        Map<String, Long> cut = new HashMap<>();
        for (String name : in.base().names()) {
            if (!PermutedEmbeddings.EMBEDDING.matcher(name).find()) {
                continue;
            }
            long[] rows = new long[all.size()];
            long cols = -1;
            boolean differ = false;
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).contains(name)) {
                    return in; // missing tensors: the input check names them
                }
                long[] s = all.get(i).info(name).shape();
                if (s.length != 2) {
                    return in;
                }
                rows[i] = s[0];
                differ |= rows[i] != rows[0];
                if (cols >= 0 && s[1] != cols) {
                    return in;
                }
                cols = s[1];
            }
            if (!differ) {
                continue;
            }
            long baseRows = rows[rows.length - 1];
            if (GeneralizedTaskArithmetic.isVariant(method)) {
                for (int i = 0; i < rows.length - 1; i++) {
                    if (rows[i] < baseRows) {
                        throw new AmalgamException(all.get(i).describe() + ": '" + name + "' has " + rows[i] + " rows, fewer than the "
                                + "base's " + baseRows + "; MergeKit's " + method + " fails here too (use tokenizer_source)");
                    }
                }
                cut.put(name, baseRows);
            } else if (COMMON.contains(method)) {
                long min = Long.MAX_VALUE;
                for (long r : rows) {
                    min = Math.min(min, r);
                }
                cut.put(name, min);
            } else {
                return in; // sce, multislerp, passthrough: MergeKit stacks and fails; the input check says why
            }
        }
        if (cut.isEmpty()) {
            return in;
        }
        dev.amalgam.Messages.err().println("amalgam: note: embedding rows differ; " + method + " uses the first " + cut
                + " rows of each model, as MergeKit does (tokenizer_source: union keeps every token)");
        List<TensorSource> out = new ArrayList<>();
        for (TensorSource s : all) {
            out.add(new Prefix(s, cut));
        }
        return new MergeInputs(out.get(out.size() - 1), out.subList(0, out.size() - 1), in.taskNames());
    }

    /** A source whose named 2-D tensors show only their first rows. */
    private record Prefix(TensorSource src, Map<String, Long> rows) implements TensorSource {
        public List<String> names() {
            return src.names();
        }

        public boolean contains(String name) {
            return src.contains(name);
        }

        public TensorInfo info(String name) {
            TensorInfo i = src.info(name);
            Long r = rows.get(name);
            return r == null ? i : new TensorInfo(name, i.dtype(), new long[]{r, i.shape()[1]});
        }

        private ByteBuffer cut(String name, ByteBuffer b) {
            TensorInfo i = info(name);
            return b.duplicate().position(0).limit((int) (i.numel() * i.dtype().byteSize())).slice().order(b.order());
        }

        public ByteBuffer bytes(String name) {
            return rows.containsKey(name) ? cut(name, src.bytes(name)) : src.bytes(name);
        }

        public void readInto(String name, ByteBuffer dst) {
            if (rows.containsKey(name)) {
                dst.put(bytes(name));
            } else {
                src.readInto(name, dst);
            }
        }

        public <R> R withBytes(String name, Function<ByteBuffer, R> reader) {
            return rows.containsKey(name) ? src.withBytes(name, b -> reader.apply(cut(name, b))) : src.withBytes(name, reader);
        }

        public String describe() {
            return src.describe();
        }

        public void close() {
        }
    }
}
