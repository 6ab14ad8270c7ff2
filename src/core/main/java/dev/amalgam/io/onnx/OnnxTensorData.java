package dev.amalgam.io.onnx;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decodes the data of an {@link OnnxTensor} into little-endian bytes in the layout of its dtype,
 * from whichever place the exporter put it: raw_data, a typed repeated field, or an external file.
 */
final class OnnxTensorData {
    private OnnxTensorData() {
    }

    /** The Amalgam dtype of an ONNX data_type, or an error naming the tensor. */
    static DType dtype(OnnxTensor t, Path file) {
        return switch (t.dataType()) {
            case OnnxTensor.FLOAT -> DType.F32;
            case OnnxTensor.DOUBLE -> DType.F64;
            case OnnxTensor.FLOAT16 -> DType.F16;
            case OnnxTensor.BFLOAT16 -> DType.BF16;
            case OnnxTensor.INT64 -> DType.I64;
            case OnnxTensor.INT32 -> DType.I32;
            case OnnxTensor.INT16 -> DType.I16;
            case OnnxTensor.INT8 -> DType.I8;
            case OnnxTensor.UINT8 -> DType.U8;
            case OnnxTensor.BOOL -> DType.BOOL;
            default -> throw new AmalgamException(file + ": tensor '" + t.name() + "' has unsupported ONNX data_type "
                    + t.dataType());
        };
    }

    /** The tensor's bytes (read-only, little-endian, position 0); external files resolved next to {@code file}. */
    static ByteBuffer bytes(OnnxTensor t, Path file) {
        DType dt = dtype(t, file);
        long expected = Math.multiplyExact(t.numel(), dt.byteSize());
        ByteBuffer out;
        if (t.sparse() != null) {
            out = SparseDensifier.densify(t, file);
        } else if (t.external() != null) {
            out = external(t, file, expected);
        } else if (t.raw() != null) {
            out = t.raw().duplicate(); // duplicate() is big-endian; the order is set below
        } else if (t.typed() != null) {
            out = typed(t, file, dt);
        } else if (expected == 0) {
            out = ByteBuffer.allocate(0);
        } else {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' has no data");
        }
        if (out.remaining() != expected) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' has " + out.remaining()
                    + " bytes of data, its shape and dtype need " + expected);
        }
        return out.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer typed(OnnxTensor t, Path file, DType dt) {
        long[] v = t.typed();
        if (v.length != t.numel()) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' has " + v.length
                    + " values for " + t.numel() + " elements");
        }
        int field = t.typedField();
        boolean ok = switch (field) {
            case 4 -> dt == DType.F32;
            case 10 -> dt == DType.F64;
            case 7 -> dt == DType.I64;
            case 5 -> dt == DType.I32 || dt == DType.I16 || dt == DType.I8 || dt == DType.U8 || dt == DType.BOOL
                    || dt == DType.F16 || dt == DType.BF16;
            default -> false;
        };
        if (!ok) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' of type " + dt
                    + " stores its values in the wrong TensorProto field (" + field + ")");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, dt.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (dt.byteSize()) {
                case 8 -> b.putLong(x);
                case 4 -> b.putInt((int) x);
                case 2 -> b.putShort((short) x); // FP16/BF16 bit patterns and INT16 live in the low 16 bits
                default -> b.put((byte) x);
            }
        }
        return b.flip();
    }

    /** The external data file of a tensor, checked to be a valid path inside the model's directory. */
    static Path externalFile(OnnxTensor t, Path file) {
        String location = t.external().get("location");
        if (location == null || location.isEmpty()) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' is external but has no location");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path data;
        try {
            data = Path.of(location).isAbsolute() ? null : dir.resolve(location).normalize();
        } catch (InvalidPathException e) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' has an invalid external location ("
                    + e.getReason() + ")");
        }
        if (data == null || !data.startsWith(dir.normalize())) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' external location '" + location
                    + "' points outside the model directory");
        }
        return data;
    }

    private static ByteBuffer external(OnnxTensor t, Path file, long expected) {
        Path data = externalFile(t, file);
        long offset = parseLong(t, file, "offset", 0);
        long length = parseLong(t, file, "length", expected);
        if (!Files.isRegularFile(data)) {
            throw new AmalgamException(data + ": external data file of tensor '" + t.name() + "' is missing");
        }
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                throw new AmalgamException(data + ": tensor '" + t.name() + "' range [" + offset + ", +" + length
                        + ") is outside the file (" + size + " bytes)");
            }
            if (length != expected) {
                throw new AmalgamException(data + ": tensor '" + t.name() + "' has length " + length
                        + ", its shape and dtype need " + expected);
            }
            if (length > Integer.MAX_VALUE) {
                throw new AmalgamException(data + ": tensor '" + t.name() + "' is over 2 GiB");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (IOException e) {
            throw new AmalgamException(data + ": cannot read external data of '" + t.name() + "' (" + e.getMessage() + ")", e);
        }
    }

    private static long parseLong(OnnxTensor t, Path file, String key, long dflt) {
        String s = t.external().get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new AmalgamException(file + ": tensor '" + t.name() + "' external " + key + " '" + s + "' is not a number");
        }
    }

    /** Reads a tensor as int64 values (INT64 or INT32 data); used for shape constants. */
    static long[] longs(OnnxTensor t, Path file) {
        ByteBuffer b = bytes(t, file);
        int n = (int) t.numel();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.dataType() == OnnxTensor.INT64 ? b.getLong(i * 8)
                    : t.dataType() == OnnxTensor.INT32 ? b.getInt(i * 4) : 0;
        }
        return out;
    }

    /** Reads a float tensor's values as doubles (FLOAT, DOUBLE, FLOAT16 and BFLOAT16). */
    static double[] doubles(OnnxTensor t, Path file) {
        ByteBuffer b = bytes(t, file);
        int n = (int) t.numel();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dataType()) {
                case OnnxTensor.FLOAT -> b.getFloat(i * 4);
                case OnnxTensor.DOUBLE -> b.getDouble(i * 8);
                case OnnxTensor.FLOAT16 -> halfToFloat(b.getShort(i * 2));
                case OnnxTensor.BFLOAT16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
                default -> Double.NaN;
            };
        }
        return out;
    }

    /** IEEE 754 binary16 bits to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
