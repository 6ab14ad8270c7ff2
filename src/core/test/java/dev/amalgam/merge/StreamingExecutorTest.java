package dev.amalgam.merge;

import dev.amalgam.io.InMemoryTensorSource;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingExecutorTest {

    /** Records the order of calls so the pass structure can be checked. */
    static final class RecordingMethod implements MergeMethod {
        final List<String> calls = new ArrayList<>();
        public String name() { return "rec"; }
        public String describe() { return "rec"; }
        public List<StatisticPass> statisticPasses() {
            return StatisticPass.indexed(List.of("first", "second"), (s, pass) -> calls.add("observe" + pass + ":" + s.name()),
                    pass -> calls.add("end" + pass));
        }
        public NDArray merge(TensorStep s) { calls.add("merge:" + s.name()); return s.model(1); }
    }

    static StreamingExecutor executor() {
        return new StreamingExecutor(Device.cpu(), n -> n, true, StreamingExecutor.Progress.NONE);
    }

    static InMemoryTensorSource src(String label, float a, float b) {
        return new InMemoryTensorSource(label).f32("b.weight", new long[]{2}, a, b).f32("a.bias", new long[]{1}, a)
                .i64("ids", new long[]{2}, 7, 8);
    }

    @Test
    void passesRunInOrderAndIntegerTensorsAreCopied() {
        RecordingMethod m = new RecordingMethod();
        InMemorySink sink = new InMemorySink();
        executor().run(m, new MergeInputs(src("base", 1, 2), List.of(src("x", 3, 4), src("y", 5, 6)), List.of("x", "y")), sink);
        assertEquals(List.of("observe0:a.bias", "observe0:b.weight", "end0", "observe1:a.bias", "observe1:b.weight", "end1",
                "merge:a.bias", "merge:b.weight"), m.calls);
        assertArrayEquals(new float[]{5, 6}, sink.merged().get("b.weight"));
        assertEquals(8L, sink.copied().get("ids").order(ByteOrder.LITTLE_ENDIAN).getLong(8));
        assertTrue(sink.committed());
    }

    @Test
    void taskVectorsAreDifferencesToBase() {
        MergeMethod check = new MergeMethod() {
            public String name() { return "tv"; }
            public String describe() { return "tv"; }
            public NDArray merge(TensorStep s) { return s.taskVector(0).mul(10).add(s.taskVector(1)); }
        };
        InMemorySink sink = new InMemorySink();
        executor().run(check, new MergeInputs(src("base", 1, 2), List.of(src("x", 3, 5), src("y", 0, 0)), List.of("x", "y")), sink);
        assertArrayEquals(new float[]{(3 - 1) * 10 + (0 - 1), (5 - 2) * 10 + (0 - 2)}, sink.merged().get("b.weight"), 1e-6f);
    }

    @Test
    void missingTensorIsNamed() {
        InMemoryTensorSource bad = new InMemoryTensorSource("bad-model").f32("b.weight", new long[]{2}, 1, 2).i64("ids", new long[]{2}, 7, 8);
        AmalgamException e = assertThrows(AmalgamException.class, () -> executor().run(new RecordingMethod(),
                new MergeInputs(src("base", 1, 2), List.of(bad), List.of("x")), new InMemorySink()));
        assertTrue(e.getMessage().startsWith("bad-model: tensor names differ"), e.getMessage());
        assertTrue(e.getMessage().contains("missing 'a.bias'"), e.getMessage());
    }

    @Test
    void vocabularyMismatchIsExplained() {
        InMemoryTensorSource base = new InMemoryTensorSource("base").f32("model.embed_tokens.weight", new long[]{2, 2}, 1, 2, 3, 4);
        InMemoryTensorSource ft = new InMemoryTensorSource("ft").f32("model.embed_tokens.weight", new long[]{3, 2}, 1, 2, 3, 4, 5, 6);
        AmalgamException e = assertThrows(AmalgamException.class, () -> executor().run(new RecordingMethod(),
                new MergeInputs(base, List.of(ft), List.of("x")), new InMemorySink()));
        assertTrue(e.getMessage().contains("vocabulary size differs (3 vs 2 tokens)"), e.getMessage());
    }

    @Test
    void nonFiniteInputIsReported() {
        AmalgamException e = assertThrows(AmalgamException.class, () -> executor().run(new RecordingMethod(),
                new MergeInputs(src("base", 1, 2), List.of(src("nan-model", Float.NaN, 1)), List.of("x")), new InMemorySink()));
        assertTrue(e.getMessage().startsWith("nan-model: tensor 'a.bias' contains NaN"), e.getMessage());
    }
}
