package dev.amalgam.merge.mergekit;

/**
 * Norms, dots and the SLERP coefficients shared by the spherical MergeKit methods.
 * Math: docs/methods/mergekit-methods.md §3.
 */
final class SphericalMath {
    private SphericalMath() {
    }

    static double dot(float[] a, float[] b, int from, int len, int stride) {
        double s = 0;
        for (int k = 0; k < len; k++) {
            int i = from + k * stride;
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a, 0, a.length, 1));
    }

    static double dot(float[] a, float[] b) {
        return dot(a, b, 0, a.length, 1);
    }

    /** MergeKit slerp: normalise when ‖v‖ > 1e-8; |dot| > 0.9995 lerps the raw vectors. */
    static float[] slerp(double t, float[] v0, float[] v1) {
        double n0 = norm(v0);
        double n1 = norm(v1);
        double dot = dot(v0, v1) / ((n0 > 1e-8 ? n0 : 1.0) * (n1 > 1e-8 ? n1 : 1.0));
        double s0;
        double s1;
        if (Math.abs(dot) > 0.9995) {
            s0 = 1 - t;
            s1 = t;
        } else {
            double theta0 = Math.acos(dot);
            double sin0 = Math.sin(theta0);
            double thetaT = theta0 * t;
            s0 = Math.sin(theta0 - thetaT) / sin0;
            s1 = Math.sin(thetaT) / sin0;
        }
        float[] out = new float[v0.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (s0 * v0[i] + s1 * v1[i]);
        }
        return out;
    }
}
