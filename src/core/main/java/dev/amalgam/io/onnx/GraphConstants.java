package dev.amalgam.io.onnx;

/** Values of graph constants as config inference needs them (shape vectors, float scalars). */
final class GraphConstants {
    private GraphConstants() {
    }

    /**
     * An int64 vector value: a constant tensor, or a Concat of parts where non-constant parts count
     * as one unknown (-1) element each (the usual Unsqueeze(Gather(Shape(x))) dims). Null if unknown.
     */
    static long[] longs(OnnxModel model, String value) {
        OnnxTensor t = model.constant(value);
        if (t != null) {
            return t.dataType() == OnnxTensor.INT64 || t.dataType() == OnnxTensor.INT32
                    ? OnnxTensorData.longs(t, model.file) : null;
        }
        OnnxNode p = model.producer(value);
        if (p == null || !p.opType().equals("Concat")) {
            return null;
        }
        long[] out = new long[0];
        for (String in : p.inputs()) {
            OnnxTensor part = model.constant(in);
            long[] vals = part != null && (part.dataType() == OnnxTensor.INT64 || part.dataType() == OnnxTensor.INT32)
                    ? OnnxTensorData.longs(part, model.file) : new long[] {-1};
            long[] joined = java.util.Arrays.copyOf(out, out.length + vals.length);
            System.arraycopy(vals, 0, joined, out.length, vals.length);
            out = joined;
        }
        return out;
    }

    /** A one-element floating-point constant, or null. */
    static Double scalar(OnnxModel model, String value) {
        OnnxTensor t = model.constant(value);
        if (t == null || !t.isFloat() || t.numel() != 1) {
            return null;
        }
        return OnnxTensorData.doubles(t, model.file)[0];
    }
}
