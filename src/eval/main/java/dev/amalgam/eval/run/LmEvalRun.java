package dev.amalgam.eval.run;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.lm.ContinuationScorer;
import dev.amalgam.eval.lm.ExactMatch;
import dev.amalgam.eval.lm.LmData;
import dev.amalgam.eval.lm.LmTokenizer;
import dev.amalgam.eval.lm.MultipleChoice;
import dev.amalgam.eval.lm.Perplexity;
import dev.amalgam.eval.lm.TokenNll;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One LM metric of a decoder model directory (config.json, safetensors, tokenizer.json) as a table. */
public final class LmEvalRun {

    public enum Kind { PERPLEXITY, CHOICE, EXACT }

    /**
     * @param window perplexity window in tokens (0: the model's positions, at most 1024)
     * @param stride perplexity stride (0: half the window)
     */
    public record Options(Path modelDir, Kind kind, Path data, int window, int stride, int maxNewTokens) {
    }

    private LmEvalRun() {
    }

    /** Columns: metric, value, count (tokens for perplexity, items otherwise). */
    public static Table run(Options o) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
             HuggingFaceTokenizer hf = Tokenizers.causalLm(o.modelDir());
             CausalLanguageModel model = ModelRegistry.loadCausalLm(o.modelDir(), manager)) {
            LmTokenizer tok = LmTokenizer.of(hf);
            switch (o.kind()) {
                case PERPLEXITY -> {
                    List<String> texts = LmData.texts(o.data());
                    int window = o.window() > 0 ? o.window() : (int) Math.min(model.maxSequenceLength(), 1024);
                    int stride = o.stride() > 0 ? o.stride() : Math.max(1, window / 2);
                    TokenNll r = Perplexity.evaluate(model, tok, texts, window, stride);
                    if (r.count() == 0) {
                        throw new AmalgamException(o.data() + ": no text has two or more tokens to score");
                    }
                    names.addAll(List.of("mean_nll", "perplexity"));
                    values.addAll(List.of(r.meanNll(), r.perplexity()));
                    counts.addAll(List.of((int) r.count(), (int) r.count()));
                }
                case CHOICE -> {
                    MultipleChoice.Result r = MultipleChoice.evaluate(new ContinuationScorer(model, tok), LmData.choices(o.data()));
                    names.addAll(List.of("acc", "acc_norm"));
                    values.addAll(List.of(r.acc(), r.accNorm()));
                    counts.addAll(List.of(r.count(), r.count()));
                }
                case EXACT -> {
                    if (o.maxNewTokens() < 1) {
                        throw new AmalgamException("--max-new-tokens must be >= 1, got " + o.maxNewTokens());
                    }
                    ExactMatch.Result r = ExactMatch.evaluate(model, tok, LmData.prompts(o.data()), o.maxNewTokens());
                    names.add("exact_match");
                    values.add(r.exactMatch());
                    counts.add(r.count());
                }
                default -> throw new IllegalStateException();
            }
        }
        return Table.create("lm-" + o.kind().name().toLowerCase(java.util.Locale.ROOT),
                StringColumn.create("metric", names),
                DoubleColumn.create("value", values.stream().mapToDouble(Double::doubleValue).toArray()),
                IntColumn.create("count", counts.stream().mapToInt(Integer::intValue).toArray()));
    }
}
