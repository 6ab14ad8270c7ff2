package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.model.clip.ClipModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Saves a CLIP model as an HF directory (model.safetensors f32, config.json, tokenizer.json) through io's ShardedWriter. */
public final class ClipCheckpoints {
    private ClipCheckpoints() {
    }

    public static void save(ClipModel model, JsonNode config, WordTokenizer tok, Path dir, Map<String, String> metadata) {
        List<TensorInfo> plan = new ArrayList<>();
        for (String name : model.parameterNames()) {
            plan.add(new TensorInfo(name, DType.F32, model.parameter(name).getShape().getShape()));
        }
        try (ShardedWriter w = new ShardedWriter(dir, plan, Long.MAX_VALUE, metadata, List.of())) {
            while (w.expectedNext() != null) {
                String name = w.expectedNext();
                NDArray a = model.parameter(name);
                float[] v = a.toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                w.write(name, b);
            }
            w.writeFile("config.json", pretty(config));
            w.writeFile("tokenizer.json", pretty(tok.tokenizerJson()));
            w.commit();
        }
    }

    private static byte[] pretty(JsonNode n) {
        try {
            return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
