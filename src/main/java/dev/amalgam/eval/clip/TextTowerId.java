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
import java.util.HexFormat;

/**
 * The identity of what a zero-shot head depends on: SHA-256 over the text tower's tensors (name,
 * dtype, shape, bytes of every {@code text_model.*}, {@code text_projection.*} and {@code logit_scale})
 * and the tokenizer.json bytes. The vision tower is left out, so re-saving a checkpoint with other
 * vision weights keeps its cached heads.
 */
public final class TextTowerId {
    private TextTowerId() {
    }

    public static boolean isTextTensor(String name) {
        return name.startsWith("text_model.") || name.startsWith("text_projection.") || name.equals("logit_scale");
    }

    public static String of(Path clipDir) {
        try (Checkpoint c = Checkpoints.open(clipDir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("amalgam-clip-text-tower-v1".getBytes(StandardCharsets.UTF_8));
            int n = 0;
            for (String name : c.names()) {
                if (!isTextTensor(name)) {
                    continue;
                }
                n++;
                md.update((name + "|" + c.info(name).dtype() + "|" + java.util.Arrays.toString(c.info(name).shape()))
                        .getBytes(StandardCharsets.UTF_8));
                ByteBuffer b = c.bytes(name).duplicate();
                md.update(b);
            }
            if (n == 0) {
                throw new AmalgamException(clipDir + ": no text tower tensors (text_model.*); zero-shot heads need a "
                        + "full CLIPModel checkpoint");
            }
            Path tok = clipDir.resolve("tokenizer.json");
            if (Files.isRegularFile(tok)) {
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
