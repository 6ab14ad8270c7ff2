package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Encodes as baseline JPEG at quality q (libjpeg scale, standard tables, 4:2:0 chroma as PIL's
 * default) with the JDK's encoder and decodes it again, at the reference's quality constants. On the
 * test image the result equals PIL 9.4's JPEG round trip (CorruptionPilTest); other libjpeg builds
 * may differ by IDCT rounding.
 */
public final class JpegCompression implements Corruption {
    static final int[] QUALITY = {80, 65, 58, 50, 40};

    @Override
    public String name() {
        return "jpeg_compression";
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        Corruption.checkSeverity(severity);
        return roundTrip(image, QUALITY[severity - 1]);
    }

    static RgbImage roundTrip(RgbImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        try {
            return RgbImage.of(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
