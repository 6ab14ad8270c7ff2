package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.model.LinearInputs;
import dev.amalgam.tensor.TensorBridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RegMean++ (docs/methods/data-aware.md §2): the Gram matrices of layer l are the inputs task t's
 * layer l receives when layers 0 … l−1 are already merged (the embeddings and every tensor outside
 * the layer stack averaged), so each layer's merge sees what the merged model feeds it. Layer by layer:
 * the merged prefix, then task t's layer l with its linear inputs tapped, the forward stopped there;
 * then layer l merged (RegMean closed form for linears, average for the rest) before layer l + 1.
 * The merge itself is RegMean's, from these Gram matrices. The prefix is recomputed for each layer
 * (Σ_l (l+1) layer passes per task), which keeps memory at one model plus one layer's statistics.
 */
public final class RegMeanPlusPlus extends RegMean {
    public static final String NAME = "regmean_plusplus";

    public RegMeanPlusPlus(MethodParams p) {
        super(p);
    }

    public static RegMeanPlusPlus fromParams(MethodParams p) {
        return new RegMeanPlusPlus(p);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Thrown by the lookup when the forward pass reaches the layer after the one being measured. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    @Override
    protected void run(MergeInputs in) {
        grams = new SpillStore(name());
        inOut.clear();
        DataModel model = data().model();
        String first = in.taskNames().get(0);
        try (NDManager root = NDManager.newBaseManager()) {
            List<String> read = namesRead(in, first, root);
            int layers = read.stream().mapToInt(LayerIndex::of).max().orElse(-1) + 1;
            if (layers == 0) {
                throw new AmalgamException(name() + ": " + data().model().describe() + " reads no tensor of a numbered layer "
                        + "(….layers.N.…); use regmean");
            }
            Map<String, NDArray> merged = new LinkedHashMap<>();
            for (String n : read) {
                if (LayerIndex.of(n) < 0) {
                    merged.put(n, average(in, n, root));
                }
            }
            for (int l = 0; l < layers; l++) {
                int layer = l;
                Map<String, NDArray> layerGrams = new LinkedHashMap<>();
                for (int t = 0; t < in.taskCount(); t++) {
                    String task = in.taskNames().get(t);
                    try (NDManager m = root.newSubManager()) {
                        TaskWeights w = hybrid(in, t, layer, merged, m);
                        GramAccumulator acc = new GramAccumulator(w, n -> LayerIndex.of(n) == layer && !model.sharedWeight(n), m);
                        try (LinearInputs.Installed tap = LinearInputs.install(acc)) {
                            forEachBatch(name() + ": layer " + (layer + 1) + "/" + layers + " Gram matrices", task, m, (x, bm) -> {
                                acc.startBatch(model.rowMask(x));
                                try {
                                    model.forward(w, task, x);
                                } catch (Stop reached) {
                                    // layer l's inputs are all recorded
                                }
                                acc.endBatch();
                            });
                        }
                        inOut.addAll(acc.inOutWeights());
                        Map<String, NDArray> g = acc.grams();
                        spill(task, g);
                        g.keySet().forEach(n -> layerGrams.put(n, null));
                    }
                }
                mergeLayer(in, read, layer, layerGrams.keySet(), merged, root);
            }
        }
    }

    /** Layer l's tensors merged, into {@code merged}: RegMean for tapped linears, the average otherwise. */
    private void mergeLayer(MergeInputs in, List<String> read, int layer, java.util.Set<String> tapped,
                            Map<String, NDArray> merged, NDManager root) {
        for (String n : read) {
            if (LayerIndex.of(n) != layer) {
                continue;
            }
            if (!tapped.contains(n)) {
                merged.put(n, average(in, n, root));
                continue;
            }
            try (NDManager m = root.newSubManager()) {
                List<NDArray> weights = new ArrayList<>();
                List<NDArray> g = new ArrayList<>();
                for (int t = 0; t < in.taskCount(); t++) {
                    weights.add(TensorBridge.toF32(m, in.models().get(t), n));
                    g.add(grams.get(in.taskNames().get(t), n, m));
                }
                NDArray w = RegMeanSolve.merge(weights, g, alpha, inOut.contains(n));
                w.attach(root);
                merged.put(n, w);
            }
        }
    }

    /** The merged prefix (and averaged non-layer tensors), task t's layer l, and a stop at layer l + 1. */
    private static TaskWeights hybrid(MergeInputs in, int t, int layer, Map<String, NDArray> merged, NDManager m) {
        return new TaskWeights(n -> {
            int l = LayerIndex.of(n);
            if (l > layer) {
                throw new Stop();
            }
            if (l == layer) {
                return TensorBridge.toF32(m, in.models().get(t), n);
            }
            NDArray a = merged.get(n);
            if (a == null) {
                throw new AmalgamException("regmean_plusplus: tensor '" + n + "' was not merged before layer " + layer
                        + " (merged: " + new TreeSet<>(merged.keySet()) + ")");
            }
            return a;
        });
    }

    private static NDArray average(MergeInputs in, String name, NDManager root) {
        NDArray sum = TensorBridge.toF32(root, in.models().get(0), name);
        for (int t = 1; t < in.taskCount(); t++) {
            try (NDArray a = TensorBridge.toF32(root, in.models().get(t), name)) {
                sum.addi(a);
            }
        }
        return sum.divi(in.taskCount());
    }

    /** The tensors one forward pass reads, in order (one example of the first task, through its fine-tune). */
    private List<String> namesRead(MergeInputs in, String task, NDManager root) {
        try (NDManager m = root.newSubManager()) {
            TaskWeights w = TaskWeights.of(in.models().get(0), m);
            data().model().forward(w, task, data().examples(task, name()).batch(0, 1, m));
            return new ArrayList<>(w.built().keySet());
        }
    }
}
