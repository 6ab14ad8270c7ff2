package dev.amalgam.serving.probe;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Runs in a separate JVM whose class path holds only DJL's jars, the exported {@code libs/*.jar} and
 * this class (it references nothing of Amalgam): loads an exported model through DJL {@link Criteria}
 * (engine, blockFactory, translatorFactory and option.* come from serving.properties) and prints the
 * predictions as lines the test parses.
 *
 * <p>Usage: {@code ServedModelProbe KIND MODEL_PATH INPUT...}, KIND = text-classification,
 * text-generation, zero-shot-image-classification (INPUT = an image file) or {@code latency}
 * (MODEL_PATH N TEXT).
 */
public final class ServedModelProbe {
    private ServedModelProbe() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path model = Path.of(args[1]);
        List<String> inputs = Arrays.asList(args).subList(2, args.length);
        if (kind.equals("deps-text")) {
            depsLayout(model, inputs);
            return;
        }
        System.out.println("SOURCE " + Class.forName("dev.amalgam.serving.AmalgamBlockFactory")
                .getProtectionDomain().getCodeSource().getLocation());
        switch (kind) {
            case "text-classification" -> {
                for (Classifications c : predict(model, String.class, Classifications.class, inputs)) {
                    printClassifications(c);
                }
                servingRequests(model, inputs, false);
            }
            case "text-generation" -> {
                for (String s : predict(model, String.class, String.class, inputs)) {
                    System.out.println("TEXT " + b64(s.getBytes(StandardCharsets.UTF_8)));
                }
                servingRequests(model, inputs, false);
            }
            case "zero-shot-image-classification" -> {
                List<Image> images = new ArrayList<>();
                for (String f : inputs) {
                    images.add(ImageFactory.getInstance().fromFile(Path.of(f)));
                }
                for (Classifications c : predict(model, Image.class, Classifications.class, images)) {
                    printClassifications(c);
                }
                servingRequests(model, inputs, true);
            }
            case "latency" -> latency(model, Integer.parseInt(inputs.get(0)), inputs.get(1));
            default -> throw new IllegalArgumentException(kind);
        }
    }

    static <I, O> Criteria<I, O> criteria(Path model, Class<I> in, Class<O> out) {
        return Criteria.builder().setTypes(in, out).optModelPath(model).optEngine("PyTorch")
                // the translatorFactory named in serving.properties (Criteria cannot see that file before loading)
                .optTranslatorFactory(new DeferredTranslatorFactory()).build();
    }

    static <I, O> List<O> predict(Path model, Class<I> in, Class<O> out, List<I> inputs) throws Exception {
        List<O> results = new ArrayList<>();
        try (ZooModel<I, O> zoo = criteria(model, in, out).loadModel();
             Predictor<I, O> p = zoo.newPredictor()) {
            System.out.println("BLOCK " + zoo.getBlock().getClass().getName());
            for (I x : inputs) {
                results.add(p.predict(x));
            }
        }
        return results;
    }

    /** DJL Serving's shape: Input (HTTP body) → Output; translatorFactory from serving.properties. */
    static void servingRequests(Path model, List<String> inputs, boolean files) throws Exception {
        Criteria<Input, Output> c = Criteria.builder().setTypes(Input.class, Output.class).optModelPath(model)
                .optEngine("PyTorch").build();
        try (ZooModel<Input, Output> zoo = c.loadModel(); Predictor<Input, Output> p = zoo.newPredictor()) {
            for (String x : inputs) {
                Input req = new Input();
                req.add(files ? Files.readAllBytes(Path.of(x)) : x.getBytes(StandardCharsets.UTF_8));
                Output res = p.predict(req);
                System.out.println("HTTP " + res.getProperty("Content-Type", "") + " "
                        + b64(res.getData().getAsBytes()));
            }
        }
    }

    /**
     * DJL Serving's arrangement when the jars are in {@code $MODEL_SERVER_HOME/deps/}: DJL on the system
     * class path, Amalgam only in a child loader that is the thread context class loader while loading, and
     * the translatorFactory from serving.properties passed as a Criteria argument (as DJL Serving's
     * ModelInfo does). blockFactory is resolved by DJL itself from serving.properties.
     */
    static void depsLayout(Path model, List<String> inputs) throws Exception {
        List<java.net.URL> urls = new ArrayList<>();
        try (var s = Files.list(Path.of(inputs.get(0)))) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                urls.add(p.toUri().toURL());
            }
        }
        try {
            Class.forName("dev.amalgam.serving.AmalgamBlockFactory");
            System.out.println("ISOLATED false");
        } catch (ClassNotFoundException e) {
            System.out.println("ISOLATED true");
        }
        java.net.URLClassLoader deps = new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]),
                ServedModelProbe.class.getClassLoader());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(deps);
        try {
            System.out.println("SOURCE " + Class.forName("dev.amalgam.serving.AmalgamBlockFactory", false, deps)
                    .getProtectionDomain().getCodeSource().getLocation());
            java.util.Properties props = new java.util.Properties();
            try (var r = Files.newBufferedReader(model.resolve("serving.properties"))) {
                props.load(r);
            }
            Criteria<Input, Output> c = Criteria.builder().setTypes(Input.class, Output.class).optModelPath(model)
                    .optArgument("translatorFactory", props.getProperty("translatorFactory")).build();
            try (ZooModel<Input, Output> zoo = c.loadModel(); Predictor<Input, Output> p = zoo.newPredictor()) {
                System.out.println("BLOCK " + zoo.getBlock().getClass().getName());
                for (String x : inputs.subList(1, inputs.size())) {
                    Input req = new Input();
                    req.add(x.getBytes(StandardCharsets.UTF_8));
                    Output res = p.predict(req);
                    System.out.println("HTTP " + res.getProperty("Content-Type", "") + " "
                            + b64(res.getData().getAsBytes()));
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    static void latency(Path model, int n, String text) throws Exception {
        try (ZooModel<String, Classifications> zoo = criteria(model, String.class, Classifications.class).loadModel();
             Predictor<String, Classifications> p = zoo.newPredictor()) {
            for (int i = 0; i < 20; i++) {
                p.predict(text);
            }
            long[] ns = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                p.predict(text);
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            System.out.printf("LATENCY n=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.3f%n", n, ns[(int) Math.ceil(0.50 * n) - 1] / 1e6,
                    ns[(int) Math.ceil(0.95 * n) - 1] / 1e6, ns[n - 1] / 1e6);
        }
    }

    static void printClassifications(Classifications c) {
        StringBuilder sb = new StringBuilder("CLASSES");
        List<String> names = c.getClassNames();
        List<Double> probs = c.getProbabilities();
        for (int i = 0; i < names.size(); i++) {
            sb.append(' ').append(b64(names.get(i).getBytes(StandardCharsets.UTF_8))).append(':').append(probs.get(i));
        }
        System.out.println(sb);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
