package dev.amalgam.serving;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.function.Function;

/**
 * DJL Serving speaks {@link Input}/{@link Output} (HTTP body in, body out): this wraps a typed
 * translator, decoding the request body to its input type and encoding its result.
 */
final class ServingAdapter<I, O> implements NoBatchifyTranslator<Input, Output> {
    private final NoBatchifyTranslator<I, O> typed;
    private final Function<Input, I> decode;
    private final Function<O, String> encode;
    private final String contentType;

    ServingAdapter(NoBatchifyTranslator<I, O> typed, Function<Input, I> decode, Function<O, String> encode,
                   String contentType) {
        this.typed = typed;
        this.decode = decode;
        this.encode = encode;
        this.contentType = contentType;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input input) throws Exception {
        return typed.processInput(ctx, decode.apply(input));
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) throws Exception {
        Output out = new Output();
        out.addProperty("Content-Type", contentType);
        out.add(encode.apply(typed.processOutput(ctx, list)));
        return out;
    }
}
