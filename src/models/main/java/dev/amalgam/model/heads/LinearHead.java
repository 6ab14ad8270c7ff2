package dev.amalgam.model.heads;


/** logits = W f + b, with W [classes][dim] (PyTorch nn.Linear layout) and optional bias. */
public final class LinearHead implements ClassificationHead {
    private final float[][] weight;
    private final float[] bias;

    public LinearHead(float[][] weight, float[] bias) {
        if (weight.length == 0 || (bias != null && bias.length != weight.length)) {
            throw new IllegalArgumentException("need weight rows and a bias per row");
        }
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public int numClasses() {
        return weight.length;
    }

    @Override
    public int dim() {
        return weight[0].length;
    }

    @Override
    public float[] logits(float[] features) {
        float[] out = new float[weight.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) (Vectors.dot(weight[c], features) + (bias == null ? 0 : bias[c]));
        }
        return out;
    }
}
