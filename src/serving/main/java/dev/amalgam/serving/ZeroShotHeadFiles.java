package dev.amalgam.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.SafetensorsHeaderWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.train.FineTunedHead;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A zero-shot head on disk in the fine-tuned-head layout ({@code head.safetensors} with
 * {@code classifier.weight [K, D]} unit class vectors and a zero {@code classifier.bias}; {@code head.json}
 * with the labels, the templates and {@code scale} = exp(logit_scale)).
 */
public final class ZeroShotHeadFiles {
    private ZeroShotHeadFiles() {
    }

    public record Loaded(List<String> labels, float[][] weight, float scale) {
    }

    public static void write(Path dir, ZeroShotHead head, List<String> labels, List<String> templates) {
        float[][] w = head.classWeights();
        int k = w.length;
        int d = w[0].length;
        List<TensorInfo> plan = List.of(new TensorInfo("classifier.bias", DType.F32, new long[] {k}),
                new TensorInfo("classifier.weight", DType.F32, new long[] {k, d}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SafetensorsHeaderWriter.encode(plan, java.util.Map.of()));
        ByteBuffer b = ByteBuffer.allocate(4 * (k + k * d)).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < k; c++) {
            b.putFloat(0f);
        }
        for (float[] row : w) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        out.writeBytes(b.array());
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", ServingKind.ZERO_SHOT_IMAGE_CLASSIFICATION.id());
        ArrayNode l = json.putArray("labels");
        labels.forEach(l::add);
        json.put("num_labels", labels.size());
        ArrayNode t = json.putArray("templates");
        templates.forEach(t::add);
        json.put("scale", head.scale());
        try {
            Files.write(dir.resolve(ServingKeys.HEAD_FILE), out.toByteArray());
            Files.writeString(dir.resolve(ServingKeys.HEAD_JSON), json.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Loaded read(Path dir) {
        FineTunedHead h = FineTunedHead.read(dir);
        double scale = Json.readFile(dir.resolve(ServingKeys.HEAD_JSON)).path("scale").asDouble(Double.NaN);
        if (!(scale > 0)) {
            throw new AmalgamException(dir.resolve(ServingKeys.HEAD_JSON) + ": no positive 'scale' for the zero-shot head");
        }
        return new Loaded(h.labels(), h.weight(), (float) scale);
    }
}
