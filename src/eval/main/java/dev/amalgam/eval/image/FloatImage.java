package dev.amalgam.eval.image;

/** A float image in CHW layout (channel-major), as a model input tensor holds it. */
public record FloatImage(int channels, int height, int width, float[] data) {

    public FloatImage {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("bad float image " + channels + "x" + height + "x" + width);
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public long[] shape() {
        return new long[] {channels, height, width};
    }
}
