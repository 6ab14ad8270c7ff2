package dev.amalgam.serving;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.eval.image.FloatImage;
import dev.amalgam.eval.image.RgbImage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Image → {@link Classifications}: CLIP preprocessing, image tower, baked-in zero-shot head, softmax. */
public final class ZeroShotImageTranslatorFactory implements TranslatorFactory {

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, Classifications.class), new Pair<>(Input.class, Output.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("unsupported types " + input + " → " + output);
        }
        ZeroShotImageBlock block = (ZeroShotImageBlock) model.getBlock();
        Typed typed = new Typed(new ClipPreprocess(block.imageSize()), block.labels());
        if (input == Image.class) {
            return (Translator<I, O>) typed;
        }
        return (Translator<I, O>) new ServingAdapter<>(typed, in -> {
            try {
                return ImageFactory.getInstance().fromInputStream(new ByteArrayInputStream(in.getData().getAsBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Classifications::toJson, "application/json");
    }

    /** The image's 8-bit RGB samples, whatever DJL image implementation holds them. */
    static RgbImage rgb(Image image, NDManager manager) {
        NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR).toType(DataType.UINT8, false);
        int h = (int) hwc.getShape().get(0);
        int w = (int) hwc.getShape().get(1);
        return new RgbImage(w, h, hwc.toByteArray());
    }

    static final class Typed implements NoBatchifyTranslator<Image, Classifications> {
        private final ClipPreprocess preprocess;
        private final List<String> labels;

        Typed(ClipPreprocess preprocess, List<String> labels) {
            this.preprocess = preprocess;
            this.labels = labels;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Image image) {
            FloatImage f = preprocess.apply(rgb(image, ctx.getNDManager()));
            long[] s = f.shape();
            return new NDList(ctx.getNDManager().create(f.data(), new ai.djl.ndarray.types.Shape(1, s[0], s[1], s[2])));
        }

        @Override
        public Classifications processOutput(TranslatorContext ctx, NDList list) {
            List<Double> p = new ArrayList<>();
            for (float v : list.singletonOrThrow().get(0).softmax(-1).toFloatArray()) {
                p.add((double) v);
            }
            return new Classifications(labels, p);
        }
    }
}
