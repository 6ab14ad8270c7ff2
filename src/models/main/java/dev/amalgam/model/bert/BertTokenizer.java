package dev.amalgam.model.bert;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.Tokenizers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * WordPiece tokenization from a Hugging Face {@code tokenizer.json} (DJL's binding of the Rust
 * tokenizers): special tokens added, truncation to {@code maxLength}, padding to the longest text of
 * a batch, with attention mask and token-type ids.
 */
public final class BertTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    /** The tensors of one tokenized batch, {@code [B, T]} int64 each. */
    public record Batch(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {
    }

    private BertTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    public static BertTokenizer open(Path tokenizerJson, int maxLength) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new AmalgamException(tokenizerJson + ": tokenizer file not found");
        }
        return new BertTokenizer(Tokenizers.open(tokenizerJson, Map.of("padding", "longest", "truncation", "true",
                "maxLength", Integer.toString(maxLength), "addSpecialTokens", "true")), maxLength);
    }

    public int maxLength() {
        return maxLength;
    }

    public Encoding[] encode(List<String> texts) {
        return tokenizer.batchEncode(texts);
    }

    /** Tokenizes a batch into arrays attached to {@code manager}. */
    public Batch batch(List<String> texts, NDManager manager) {
        Encoding[] enc = encode(texts);
        int b = enc.length;
        int t = 0;
        for (Encoding e : enc) {
            t = Math.max(t, e.getIds().length);
        }
        long[][] ids = new long[b][t];
        long[][] mask = new long[b][t];
        long[][] types = new long[b][t];
        for (int i = 0; i < b; i++) {
            long[] id = enc[i].getIds();
            long[] am = enc[i].getAttentionMask();
            long[] tt = enc[i].getTypeIds();
            System.arraycopy(id, 0, ids[i], 0, id.length);
            System.arraycopy(am, 0, mask[i], 0, am.length);
            System.arraycopy(tt, 0, types[i], 0, tt.length);
        }
        return new Batch(manager.create(ids), manager.create(mask), manager.create(types));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
