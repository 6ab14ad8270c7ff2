package dev.amalgam.io.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds tiny ONNX ModelProto files for tests, field by field with CodedOutputStream (see onnx.proto). */
final class OnnxProtoWriter {

    /** Writer of one message; {@code bytes()} returns its encoding. */
    static final class Msg {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Msg str(int field, String s) {
            return io(() -> out.writeString(field, s));
        }

        Msg varint(int field, long v) {
            return io(() -> out.writeInt64(field, v));
        }

        Msg bytes(int field, byte[] b) {
            return io(() -> out.writeByteArray(field, b));
        }

        Msg msg(int field, Msg m) {
            return bytes(field, m.bytes());
        }

        Msg fixed32(int field, int bits) {
            return io(() -> out.writeFixed32(field, bits));
        }

        Msg packedVarints(int field, long... v) {
            return io(() -> {
                int size = 0;
                for (long x : v) {
                    size += CodedOutputStream.computeInt64SizeNoTag(x);
                }
                out.writeTag(field, 2);
                out.writeUInt32NoTag(size);
                for (long x : v) {
                    out.writeInt64NoTag(x);
                }
            });
        }

        Msg packedFloats(int field, float... v) {
            return io(() -> {
                out.writeTag(field, 2);
                out.writeUInt32NoTag(4 * v.length);
                for (float x : v) {
                    out.writeFloatNoTag(x);
                }
            });
        }

        Msg packedDoubles(int field, double... v) {
            return io(() -> {
                out.writeTag(field, 2);
                out.writeUInt32NoTag(8 * v.length);
                for (double x : v) {
                    out.writeDoubleNoTag(x);
                }
            });
        }

        byte[] bytes() {
            return io(out::flush).buf.toByteArray();
        }

        private Msg io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    /** TensorProto header: dims (packed), data_type, name. */
    static Msg tensor(String name, int dataType, long... dims) {
        return new Msg().packedVarints(1, dims).varint(2, dataType).str(8, name);
    }

    static byte[] rawFloats(float... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static Msg external(Msg tensor, Map<String, String> entries) {
        for (var e : entries.entrySet()) {
            tensor.msg(13, new Msg().str(1, e.getKey()).str(2, e.getValue()));
        }
        return tensor.varint(14, 1);
    }

    static Msg node(String op, List<String> inputs, List<String> outputs, Msg... attributes) {
        Msg n = new Msg();
        inputs.forEach(i -> n.str(1, i));
        outputs.forEach(o -> n.str(2, o));
        n.str(3, op + "_" + outputs.get(0)).str(4, op);
        for (Msg a : attributes) {
            n.msg(5, a);
        }
        return n;
    }

    /** ModelProto with ir_version 8, opset 17 and the given graph parts. */
    static byte[] model(List<Msg> nodes, List<Msg> initializers) {
        Msg g = new Msg();
        nodes.forEach(n -> g.msg(1, n));
        g.str(2, "test");
        initializers.forEach(t -> g.msg(5, t));
        g.msg(11, new Msg().str(1, "x"));
        g.msg(12, new Msg().str(1, "y"));
        return new Msg().varint(1, 8).str(2, "amalgam-test").msg(7, g)
                .msg(8, new Msg().str(1, "").varint(2, 17)).bytes();
    }

    static List<Msg> list(Msg... m) {
        return new ArrayList<>(List.of(m));
    }

    private OnnxProtoWriter() {
    }
}
