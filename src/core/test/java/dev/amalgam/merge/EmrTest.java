package dev.amalgam.merge;

import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EmrTest {

    /** Per tensor: ε and masks from docs/methods/merge-methods.md §4, in doubles. */
    private record Elected(double[] eps, boolean[][] masks) {
    }

    private static Elected elect(Tensor x) {
        int n = x.size();
        int tasks = x.tasks().size();
        double[] eps = new double[n];
        boolean[][] masks = new boolean[tasks][n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (float[] v : x.tasks()) {
                sum += v[i];
            }
            double flag = sum > 0 ? 1 : -1;
            double max = 0;
            for (int t = 0; t < tasks; t++) {
                double v = x.tasks().get(t)[i];
                masks[t][i] = v * flag > 0;
                if (masks[t][i]) {
                    max = Math.max(max, Math.abs(v));
                }
            }
            eps[i] = flag * max;
        }
        return new Elected(eps, masks);
    }

    private static double[] rescalers(List<Tensor> data) {
        int tasks = data.get(0).tasks().size();
        double[] num = new double[tasks];
        double[] den = new double[tasks];
        for (Tensor x : data) {
            Elected e = elect(x);
            for (int t = 0; t < tasks; t++) {
                double a = 0;
                double b = 0;
                for (int i = 0; i < x.size(); i++) {
                    a += Math.abs(x.tasks().get(t)[i]);
                    b += e.masks()[t][i] ? Math.abs(e.eps()[i]) : 0;
                }
                num[t] += a / x.size();
                den[t] += b / x.size();
            }
        }
        double[] l = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            l[t] = den[t] > 0 ? num[t] / den[t] : 1.0;
        }
        return l;
    }

    @Test
    void rescalersAndTaskReconstruction() {
        List<Tensor> data = InMemoryMergeDriver.small(3, 51);
        Emr emr = Emr.fromParams(MethodParams.of("emr"));
        Map<String, InMemoryMergeDriver.TaskModels> got = InMemoryMergeDriver.taskModels(emr, data);
        double[] lambda = rescalers(data);
        double[] scales = emr.taskScales();
        for (int t = 0; t < 3; t++) {
            assertEquals(lambda[t], scales[t], 1e-6 * lambda[t], "λ_" + t);
        }
        Map<String, float[]> merged = InMemoryMergeDriver.merge(Emr.fromParams(MethodParams.of("emr")), data);
        for (Tensor x : data) {
            Elected e = elect(x);
            close(e.eps(), got.get(x.name()).shared(), 1e-7, "ε " + x.name());
            double[] mean = new double[x.size()];
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(e.masks()[t], got.get(x.name()).masks()[t], "M_" + t + " " + x.name());
                double[] exp = new double[x.size()];
                for (int i = 0; i < exp.length; i++) {
                    double mod = e.masks()[t][i] ? lambda[t] * e.eps()[i] : 0;
                    exp[i] = x.base()[i] + mod;
                    mean[i] += mod / 3;
                }
                close(exp, got.get(x.name()).models()[t], 1e-6, "θ_" + t + " " + x.name());
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] += x.base()[i];
            }
            close(mean, merged.get(x.name()), 1e-6, "merge() " + x.name());
        }
    }

    /** Hand-worked: τ1 = [1, -2], τ2 = [3, 1] ⇒ Σ = [4, -1], flag = [+1, −1], M1 = [1, 1], M2 = [1, 0],
     *  ε = [3, -2]; λ1 = mean(1,2)/mean(3,2) = 1.5/2.5 = 0.6; λ2 = mean(3,1)/mean(3,0) = 2/1.5 = 4/3. */
    @Test
    void handWorked() {
        Tensor x = new Tensor("w", new long[]{2}, new float[]{0, 0}, List.of(new float[]{1, -2}, new float[]{3, 1}));
        Emr emr = Emr.fromParams(MethodParams.of("emr"));
        Map<String, InMemoryMergeDriver.TaskModels> got = InMemoryMergeDriver.taskModels(emr, List.of(x));
        assertEquals(0.6, emr.taskScales()[0], 1e-6);
        assertEquals(4.0 / 3, emr.taskScales()[1], 1e-6);
        close(new double[]{1.8, -1.2}, got.get("w").models()[0], 1e-6, "θ_1");
        close(new double[]{4, 0}, got.get("w").models()[1], 1e-6, "θ_2");
    }

    @Test
    void zeroTaskVectorIsGuarded() {
        Tensor x = new Tensor("w", new long[]{2}, new float[]{0, 0}, List.of(new float[]{0, 0}, new float[]{3, 1}));
        Emr emr = Emr.fromParams(MethodParams.of("emr"));
        InMemoryMergeDriver.taskModels(emr, List.of(x));
        assertEquals(1.0, emr.taskScales()[0]);
        assertEquals(1.0, emr.taskScales()[1], 1e-6);
    }
}
