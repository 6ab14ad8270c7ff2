package dev.amalgam.io;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A tensor source whose tensors are other sources' tensors under new names, read lazily; nothing is
 * copied. Used for the input of one engine position in a MergeKit {@code slices:} merge (output layer
 * k ← layer j of some model) and for a Hugging Face fine-tune seen under its base's names
 * ({@code bert.encoder.…} of a {@code BertForSequenceClassification} as {@code encoder.…} of a
 * {@code BertModel}; see {@code dev.amalgam.merge.LayoutAlignment}).
 */
public final class RenamedSource implements TensorSource {

    /** Where a tensor comes from: a name in another source. */
    public record Origin(TensorSource source, String name) {
    }

    private final String label;
    private final Map<String, Origin> origins;
    private final List<String> names;

    /** @param origins new name → origin (any order; names are listed sorted) */
    public RenamedSource(String label, Map<String, Origin> origins) {
        this.label = label;
        this.origins = new TreeMap<>(origins);
        this.names = Collections.unmodifiableList(new ArrayList<>(this.origins.keySet()));
    }

    public Origin origin(String name) {
        Origin o = origins.get(name);
        if (o == null) {
            throw new dev.amalgam.AmalgamException(label + ": no tensor '" + name + "'");
        }
        return o;
    }

    /** The tensor's name in the source it comes from (for messages). */
    public String originName(String name) {
        Origin o = origins.get(name);
        return o == null ? name : o.name();
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return origins.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        Origin o = origin(name);
        TensorInfo i = o.source().info(o.name());
        return new TensorInfo(name, i.dtype(), i.shape());
    }

    @Override
    public ByteBuffer bytes(String name) {
        Origin o = origin(name);
        return o.source().bytes(o.name());
    }

    @Override
    public void readInto(String name, ByteBuffer dst) {
        Origin o = origin(name);
        o.source().readInto(o.name(), dst);
    }

    @Override
    public <R> R withBytes(String name, Function<ByteBuffer, R> reader) {
        Origin o = origin(name);
        return o.source().withBytes(o.name(), reader);
    }

    @Override
    public String describe() {
        return label;
    }

    /** The origins are owned by whoever opened them. */
    @Override
    public void close() {
    }
}
