package dev.amalgam.serving;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.amalgam.model.bert.BertTokenizer;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** String → {@link Classifications} (softmax over the fine-tuned head's logits, labels from head.json). */
public final class TextClassificationTranslatorFactory implements TranslatorFactory {

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(String.class, Classifications.class), new Pair<>(Input.class, Output.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("unsupported types " + input + " → " + output);
        }
        TextClassifierBlock block = (TextClassifierBlock) model.getBlock();
        int maxLength = ServingKeys.intArg(arguments, ServingKeys.MAX_LENGTH, block.config().maxPositions());
        BertTokenizer tok = BertTokenizer.open(model.getModelPath().resolve("tokenizer.json"), maxLength);
        Typed typed = new Typed(tok, block.labels());
        if (input == String.class) {
            return (Translator<I, O>) typed;
        }
        return (Translator<I, O>) new ServingAdapter<>(typed, RequestText::of,
                Classifications::toJson, "application/json");
    }

    static final class Typed implements NoBatchifyTranslator<String, Classifications> {
        private final BertTokenizer tokenizer;
        private final List<String> labels;

        Typed(BertTokenizer tokenizer, List<String> labels) {
            this.tokenizer = tokenizer;
            this.labels = labels;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, String text) {
            BertTokenizer.Batch b = tokenizer.batch(List.of(text), ctx.getNDManager());
            return new NDList(b.inputIds(), b.attentionMask(), b.tokenTypeIds());
        }

        @Override
        public Classifications processOutput(TranslatorContext ctx, NDList list) {
            NDArray probs = list.singletonOrThrow().get(0).softmax(-1);
            List<Double> p = new ArrayList<>();
            for (float v : probs.toFloatArray()) {
                p.add((double) v);
            }
            return new Classifications(labels, p);
        }
    }
}
