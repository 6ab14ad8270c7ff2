package dev.amalgam.merge.mergekit;

import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import dev.amalgam.io.DTypeConversion;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The engine inputs seen through a {@link VocabularyPlan}: every input's token-embedding matrices
 * (input embeddings and the LM head) are re-laid for the output vocabulary; other tensors pass through.
 * The permuted matrices of all inputs are built together once per tensor (a token missing from one
 * model takes a row from the others) and kept only while that tensor is being merged.
 */
public final class PermutedEmbeddings {
    static final Pattern EMBEDDING = Pattern.compile("(embed_tokens|word_embeddings|token_embedding|wte|lm_head|embed_out)\\.weight$");

    private final VocabularyPlan plan;
    private final List<TensorSource> raw;
    private String cachedName;
    private float[][] cached;

    private PermutedEmbeddings(VocabularyPlan plan, List<TensorSource> raw) {
        this.plan = plan;
        this.raw = raw;
    }

    /** The inputs (tasks, then the base) wrapped. */
    public static List<TensorSource> wrap(VocabularyPlan plan, List<TensorSource> inputs) {
        PermutedEmbeddings p = new PermutedEmbeddings(plan, inputs);
        List<TensorSource> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            out.add(p.new Input(i));
        }
        return out;
    }

    private boolean isEmbedding(int input, String name) {
        if (!EMBEDDING.matcher(name).find() || !raw.get(input).contains(name)) {
            return false;
        }
        long[] s = raw.get(input).info(name).shape();
        return s.length == 2 && plan.permutes(input, s[0]);
    }

    private synchronized float[] matrix(int input, String name) {
        if (!name.equals(cachedName)) {
            float[][] own = new float[raw.size()][];
            int hidden = -1;
            for (int i = 0; i < raw.size(); i++) {
                TensorInfo info = raw.get(i).info(name);
                own[i] = raw.get(i).withBytes(name, b -> DTypeConversion.toFloatArray(b, info.dtype()));
                hidden = (int) info.shape()[1];
            }
            cached = plan.permute(own, hidden);
            cachedName = name;
        }
        return cached[input];
    }

    private final class Input implements TensorSource {
        private final int index;

        Input(int index) {
            this.index = index;
        }

        private TensorSource src() {
            return raw.get(index);
        }

        @Override
        public List<String> names() {
            return src().names();
        }

        @Override
        public boolean contains(String name) {
            return src().contains(name);
        }

        @Override
        public TensorInfo info(String name) {
            TensorInfo i = src().info(name);
            return isEmbedding(index, name) ? new TensorInfo(name, i.dtype(), new long[]{plan.rows(), i.shape()[1]}) : i;
        }

        private ByteBuffer encoded(String name) {
            DType d = src().info(name).dtype();
            return DTypeConversion.fromFloatArray(matrix(index, name), d);
        }

        @Override
        public ByteBuffer bytes(String name) {
            return isEmbedding(index, name) ? encoded(name).asReadOnlyBuffer() : src().bytes(name);
        }

        @Override
        public void readInto(String name, ByteBuffer dst) {
            if (isEmbedding(index, name)) {
                dst.put(encoded(name));
            } else {
                src().readInto(name, dst);
            }
        }

        @Override
        public <R> R withBytes(String name, Function<ByteBuffer, R> reader) {
            return isEmbedding(index, name) ? reader.apply(encoded(name)) : src().withBytes(name, reader);
        }

        @Override
        public String describe() {
            return src().describe();
        }

        @Override
        public void close() {
        }
    }
}
