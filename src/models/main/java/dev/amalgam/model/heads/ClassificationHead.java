package dev.amalgam.model.heads;

/** Turns one feature vector into class logits. */
public interface ClassificationHead {
    int numClasses();

    int dim();

    float[] logits(float[] features);

    default float[][] logits(float[][] batch) {
        float[][] out = new float[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            out[i] = logits(batch[i]);
        }
        return out;
    }
}
