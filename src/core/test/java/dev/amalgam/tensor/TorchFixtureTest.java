package dev.amalgam.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.io.DType;
import dev.amalgam.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.io.BFloat16;
import dev.amalgam.io.Float16;
import dev.amalgam.io.DTypeConversion;

/**
 * Against python3-torch 1.13: src/python/make_dtype_fixture.py wrote the same F32 values as F32,
 * F16 and BF16 tensors (torch's conversions) by hand into a safetensors file, plus a JSON reference.
 */
class TorchFixtureTest {
    private static final Path DIR = Path.of("src/testdata/fixtures");

    @Test
    void readerAndCodecsAgreeWithTorch() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(DIR.resolve("dtypes_torch.json").toFile());
        int n = ref.get("count").asInt();
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve("dtypes_torch.safetensors"))) {
            assertEquals("make_dtype_fixture.py", f.metadata().get("made_by"));
            float[] f32 = DTypeConversion.toFloatArray(f.bytes("a_f32"), DType.F32);
            float[] fromF16 = DTypeConversion.toFloatArray(f.bytes("b_f16"), DType.F16);
            float[] fromBf16 = DTypeConversion.toFloatArray(f.bytes("c_bf16"), DType.BF16);
            ByteBuffer f16Bytes = f.bytes("b_f16");
            ByteBuffer bf16Bytes = f.bytes("c_bf16");
            assertEquals(n, f32.length);
            for (int i = 0; i < n; i++) {
                assertEquals(ref.get("f32_bits").get(i).asLong(), Float.floatToRawIntBits(f32[i]) & 0xffffffffL, "f32 " + i);
                check(ref.get("f16").get(i), fromF16[i], "f16 decode " + i);
                check(ref.get("bf16").get(i), fromBf16[i], "bf16 decode " + i);
                int torchF16 = ref.get("f16_bits").get(i).asInt();
                int torchBf16 = ref.get("bf16_bits").get(i).asInt();
                assertEquals(torchF16, f16Bytes.getShort(2 * i) & 0xffff, "file f16 bits " + i);
                assertEquals(torchBf16, bf16Bytes.getShort(2 * i) & 0xffff, "file bf16 bits " + i);
                if (Float.isNaN(f32[i])) {
                    assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f32[i]))));
                    assertTrue(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(f32[i]))));
                } else {
                    assertEquals(torchF16, Float16.fromFloat(f32[i]) & 0xffff, "f16 encode of " + f32[i]);
                    assertEquals(torchBf16, BFloat16.fromFloat(f32[i]) & 0xffff, "bf16 encode of " + f32[i]);
                }
            }
            // Bulk encoders produce the same bytes as torch wrote.
            ByteBuffer enc16 = DTypeConversion.fromFloatArray(f32, DType.F16).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer encBf = DTypeConversion.fromFloatArray(f32, DType.BF16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(f32[i])) {
                    assertEquals(f16Bytes.getShort(2 * i), enc16.getShort(2 * i));
                    assertEquals(bf16Bytes.getShort(2 * i), encBf.getShort(2 * i));
                }
            }
        }
    }

    private static void check(JsonNode ref, float got, String what) {
        if (ref.isNull()) {
            assertTrue(Float.isNaN(got), what);
        } else if (ref.isTextual()) {
            assertEquals(Double.parseDouble(ref.asText().replace("inf", "Infinity")), got, 0.0, what);
        } else {
            assertEquals(ref.asDouble(), got, 0.0, what);
        }
    }
}
