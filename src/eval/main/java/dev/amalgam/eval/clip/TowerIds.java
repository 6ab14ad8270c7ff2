package dev.amalgam.eval.clip;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * Content ids of a CLIP checkpoint's towers, for cache keys: SHA-256 over each tensor's name, dtype,
 * shape and bytes. The text id ({@code text_model.*}, {@code text_projection.*}, {@code logit_scale}
 * and tokenizer.json) keys zero-shot heads; the vision id (every other tensor) keys cached features.
 * Re-saving a checkpoint with other vision weights therefore keeps its cached heads.
 */
public final class TowerIds {
    private TowerIds() {
    }

    public static boolean isTextTensor(String name) {
        return name.startsWith("text_model.") || name.startsWith("text_projection.") || name.equals("logit_scale");
    }

    public static String text(Path clipDir) {
        return hash(clipDir, TowerIds::isTextTensor, true, "text");
    }

    public static String vision(Path clipDir) {
        return hash(clipDir, n -> !isTextTensor(n), false, "vision");
    }

    private static String hash(Path clipDir, Predicate<String> which, boolean tokenizer, String tower) {
        try (Checkpoint c = Checkpoints.open(clipDir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("amalgam-clip-" + tower + "-tower-v1").getBytes(StandardCharsets.UTF_8));
            int n = 0;
            for (String name : c.names()) {
                if (!which.test(name)) {
                    continue;
                }
                n++;
                md.update((name + "|" + c.info(name).dtype() + "|" + Arrays.toString(c.info(name).shape()))
                        .getBytes(StandardCharsets.UTF_8));
                ByteBuffer b = c.bytes(name).duplicate();
                md.update(b);
            }
            if (n == 0) {
                throw new AmalgamException(clipDir + ": no " + tower + " tower tensors; zero-shot evaluation needs a "
                        + "full CLIPModel checkpoint");
            }
            Path tok = clipDir.resolve("tokenizer.json");
            if (tokenizer && Files.isRegularFile(tok)) {
                md.update(Files.readAllBytes(tok));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new AmalgamException(clipDir + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
