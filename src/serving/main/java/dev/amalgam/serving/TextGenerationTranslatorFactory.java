package dev.amalgam.serving;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.amalgam.model.Tokenizers;

import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * String → String: greedy continuation of the prompt (max_new_tokens from serving.properties), returned
 * as the decoded prompt + continuation, as {@code amalgam generate} prints it.
 */
public final class TextGenerationTranslatorFactory implements TranslatorFactory {

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(String.class, String.class), new Pair<>(Input.class, Output.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("unsupported types " + input + " → " + output);
        }
        Typed typed = new Typed(Tokenizers.causalLm(model.getModelPath()));
        if (input == String.class) {
            return (Translator<I, O>) typed;
        }
        return (Translator<I, O>) new ServingAdapter<>(typed, RequestText::of, s -> s,
                "text/plain");
    }

    static final class Typed implements NoBatchifyTranslator<String, String> {
        private static final String PROMPT = "amalgam.prompt";
        private final HuggingFaceTokenizer tokenizer;

        Typed(HuggingFaceTokenizer tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, String prompt) {
            long[] ids = tokenizer.encode(prompt).getIds();
            if (ids.length == 0) {
                throw new IllegalArgumentException("the prompt encodes to no tokens");
            }
            ctx.setAttachment(PROMPT, ids);
            return new NDList(ctx.getNDManager().create(ids).reshape(1, ids.length));
        }

        @Override
        public String processOutput(TranslatorContext ctx, NDList list) {
            long[] prompt = (long[]) ctx.getAttachment(PROMPT);
            long[] generated = list.singletonOrThrow().toLongArray();
            long[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
            System.arraycopy(generated, 0, all, prompt.length, generated.length);
            return tokenizer.decode(all, true);
        }
    }
}
