package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static dev.amalgam.merge.Assertions2.toDouble;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Weight averaging and Task Arithmetic against plain double re-implementations. */
class LinearMethodsTest {
    private final List<Tensor> data = InMemoryMergeDriver.small(3, 21);

    private static double[] average(Tensor x, double[] w, boolean normalize) {
        double total = 0;
        for (int t = 0; t < x.tasks().size(); t++) {
            total += w == null ? 1 : w[t];
        }
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int t = 0; t < x.tasks().size(); t++) {
                double theta = (double) x.base()[i] + x.tasks().get(t)[i];
                s += (w == null ? 1 : w[t]) * theta;
            }
            r[i] = normalize ? s / total : s;
        }
        return r;
    }

    private static double[] taskArithmetic(Tensor x, double lambda, double[] w) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int t = 0; t < x.tasks().size(); t++) {
                s += (w == null ? 1 : w[t]) * x.tasks().get(t)[i];
            }
            r[i] = x.base()[i] + lambda * s;
        }
        return r;
    }

    @Test
    void weightAverage() {
        Map<String, float[]> plain = InMemoryMergeDriver.merge(WeightAverage.fromParams(MethodParams.of("weight_average")), data);
        Map<String, float[]> weighted = InMemoryMergeDriver.merge(WeightAverage.fromParams(
                MethodParams.of("linear", "weights", "0.2, 0.3, 0.5")), data);
        Map<String, float[]> raw = InMemoryMergeDriver.merge(WeightAverage.fromParams(
                MethodParams.of("linear", "weights", List.of(1, 2, 3), "normalize", false)), data);
        for (Tensor x : data) {
            close(average(x, null, true), plain.get(x.name()), 1e-6, "plain " + x.name());
            close(average(x, new double[]{0.2, 0.3, 0.5}, true), weighted.get(x.name()), 1e-6, "weighted " + x.name());
            close(average(x, new double[]{1, 2, 3}, false), raw.get(x.name()), 1e-6, "unnormalized " + x.name());
        }
    }

    @Test
    void taskArithmetic() {
        Map<String, float[]> def = InMemoryMergeDriver.merge(TaskArithmetic.fromParams(MethodParams.of("task_arithmetic", "lambda", 0.3)), data);
        Map<String, float[]> w = InMemoryMergeDriver.merge(TaskArithmetic.fromParams(
                MethodParams.of("task_arithmetic", "lambda", 0.8, "weights", List.of(1.0, -0.5, 2.0))), data);
        for (Tensor x : data) {
            close(taskArithmetic(x, 0.3, null), def.get(x.name()), 1e-6, "λ=0.3 " + x.name());
            close(taskArithmetic(x, 0.8, new double[]{1, -0.5, 2}), w.get(x.name()), 1e-6, "weighted " + x.name());
        }
    }

    @Test
    void taskArithmeticWithOneOverTIsWeightAverage() {
        Map<String, float[]> ta = InMemoryMergeDriver.merge(TaskArithmetic.fromParams(
                MethodParams.of("task_arithmetic", "lambda", 1.0 / 3)), data);
        Map<String, float[]> wa = InMemoryMergeDriver.merge(WeightAverage.fromParams(MethodParams.of("weight_average")), data);
        for (Tensor x : data) {
            close(toDouble(wa.get(x.name())), ta.get(x.name()), 1e-6, x.name());
        }
    }

    @Test
    void errors() {
        assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(
                WeightAverage.fromParams(MethodParams.of("linear", "weights", List.of(1, 2))), data));
        assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(
                WeightAverage.fromParams(MethodParams.of("linear", "weights", List.of(1, -1, 0))), data));
        assertThrows(AmalgamException.class, () -> TaskArithmetic.fromParams(MethodParams.of("task_arithmetic", "scale", 1)));
    }
}
