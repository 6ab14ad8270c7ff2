package dev.amalgam.model.heads;

import java.util.ArrayList;
import java.util.List;

/**
 * A CLIP zero-shot classifier, built as in CLIP / task vectors / FusionBench: for every class, embed
 * each template filled with the class name, L2-normalise each embedding, average over templates,
 * L2-normalise the mean; logits = exp(logit_scale) * (w_c . f / |f|).
 */
public final class ZeroShotHead implements ClassificationHead {
    private final float[][] classWeights;
    private final float scale;

    /** @param classWeights unit rows, one per class; @param scale the multiplier, i.e. exp(logit_scale) */
    public ZeroShotHead(float[][] classWeights, float scale) {
        if (classWeights.length == 0) {
            throw new IllegalArgumentException("no classes");
        }
        this.classWeights = classWeights;
        this.scale = scale;
    }

    /** @param logitScale the model's raw {@code logit_scale} parameter (CLIP: ln 100 after training) */
    public static ZeroShotHead build(TextEmbedder embedder, List<String> classNames, List<String> templates,
                                     double logitScale) {
        if (classNames.isEmpty() || templates.isEmpty()) {
            throw new IllegalArgumentException("need at least one class name and one template");
        }
        float[][] w = new float[classNames.size()][];
        for (int c = 0; c < classNames.size(); c++) {
            List<String> prompts = new ArrayList<>(templates.size());
            for (String t : templates) {
                prompts.add(PromptTemplates.fill(t, classNames.get(c)));
            }
            float[][] e = embedder.embed(prompts);
            if (e.length != prompts.size()) {
                throw new IllegalStateException("embedder returned " + e.length + " rows for " + prompts.size() + " texts");
            }
            double[] mean = new double[e[0].length];
            for (float[] row : e) {
                float[] u = Vectors.normalized(row);
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += u[d];
                }
            }
            float[] m = new float[mean.length];
            for (int d = 0; d < m.length; d++) {
                m[d] = (float) (mean[d] / e.length);
            }
            w[c] = Vectors.normalized(m);
        }
        return new ZeroShotHead(w, (float) Math.exp(logitScale));
    }

    @Override
    public int numClasses() {
        return classWeights.length;
    }

    @Override
    public int dim() {
        return classWeights[0].length;
    }

    public float scale() {
        return scale;
    }

    /** Unit class vectors [classes][dim] (not scaled). */
    public float[][] classWeights() {
        return classWeights;
    }

    @Override
    public float[] logits(float[] features) {
        float[] f = Vectors.normalized(features);
        float[] out = new float[classWeights.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) (scale * Vectors.dot(classWeights[c], f));
        }
        return out;
    }
}
