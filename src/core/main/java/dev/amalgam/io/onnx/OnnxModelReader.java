package dev.amalgam.io.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX ModelProto by walking the protobuf wire format (no generated classes). The file is
 * memory-mapped; raw_data payloads stay slices of that mapping, so nothing large is copied.
 * A ModelProto is limited to 2 GiB by protobuf; bigger models keep their weights in external files.
 */
final class OnnxModelReader {
    private final Path file;
    private final ByteBuffer mapped;
    private final CodedInputStream in;

    private OnnxModelReader(Path file, ByteBuffer mapped) {
        this.file = file;
        this.mapped = mapped;
        this.in = CodedInputStream.newInstance(mapped.duplicate());
        in.setSizeLimit(Integer.MAX_VALUE);
    }

    static OnnxModel read(Path file) {
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new AmalgamException(file + ": " + size + " bytes is over the 2 GiB protobuf limit of an ONNX "
                        + "ModelProto; weights that big must be in external data files");
            }
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        OnnxModel model;
        try {
            model = new OnnxModelReader(file, mapped).readModel();
        } catch (AmalgamException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new AmalgamException(file + ": not a valid ONNX ModelProto (" + e.getMessage() + ")", e);
        }
        if (model.irVersion <= 0 || model.nodes.isEmpty() && model.initializers.isEmpty()) {
            throw new AmalgamException(file + ": not an ONNX ModelProto (no ir_version or no graph)");
        }
        return model;
    }

    private OnnxModel readModel() throws IOException {
        OnnxModel model = new OnnxModel(file);
        boolean sawGraph = false;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1 && wire(tag) == WireFormat.WIRETYPE_VARINT) {
                model.irVersion = in.readInt64();
            } else if (field == 2 && isLen(tag)) {
                model.producer = in.readStringRequireUtf8();
            } else if (field == 7 && isLen(tag)) {
                int old = in.pushLimit(len());
                readGraph(model);
                in.popLimit(old);
                sawGraph = true;
            } else if (field == 8 && isLen(tag)) {
                int old = in.pushLimit(len());
                readOpset(model);
                in.popLimit(old);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        if (!sawGraph) {
            model.irVersion = 0;
        }
        return model;
    }

    private void readOpset(OnnxModel model) throws IOException {
        String domain = "";
        long version = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1 && isLen(tag)) {
                domain = in.readStringRequireUtf8();
            } else if (field == 2 && wire(tag) == WireFormat.WIRETYPE_VARINT) {
                version = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        model.opsets.put(domain, version);
    }

    private void readGraph(OnnxModel model) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (!isLen(tag)) {
                in.skipField(tag);
                continue;
            }
            switch (field) {
                case 1 -> {
                    int old = in.pushLimit(len());
                    OnnxNode node = readNode();
                    in.popLimit(old);
                    model.nodes.add(node);
                    OnnxAttribute value = node.attribute("value");
                    if (node.opType().equals("Constant") && value != null && value.t() != null
                            && !node.outputs().isEmpty()) {
                        model.constants.put(node.output(0), value.t().renamed(node.output(0)));
                    }
                }
                case 5 -> {
                    int old = in.pushLimit(len());
                    OnnxTensor t = readTensor();
                    in.popLimit(old);
                    model.initializers.put(t.name(), t);
                }
                case 11, 12 -> {
                    int old = in.pushLimit(len());
                    String name = readValueInfoName();
                    in.popLimit(old);
                    (field == 11 ? model.graphInputs : model.graphOutputs).add(name);
                }
                case 15 -> {
                    int old = in.pushLimit(len());
                    OnnxTensor t = readSparseTensor();
                    in.popLimit(old);
                    model.initializers.put(t.name(), t);
                }
                default -> in.skipField(tag);
            }
        }
    }

    private String readValueInfoName() throws IOException {
        String name = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(tag) == 1 && isLen(tag)) {
                name = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private OnnxNode readNode() throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        Map<String, OnnxAttribute> attrs = new LinkedHashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (!isLen(tag)) {
                in.skipField(tag);
                continue;
            }
            switch (field) {
                case 1 -> inputs.add(in.readStringRequireUtf8());
                case 2 -> outputs.add(in.readStringRequireUtf8());
                case 3 -> name = in.readStringRequireUtf8();
                case 4 -> op = in.readStringRequireUtf8();
                case 5 -> {
                    int old = in.pushLimit(len());
                    OnnxAttribute a = readAttribute();
                    in.popLimit(old);
                    attrs.put(a.name(), a);
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, op, List.copyOf(inputs), List.copyOf(outputs), attrs);
    }

    private OnnxAttribute readAttribute() throws IOException {
        String name = "";
        float f = Float.NaN;
        long i = 0;
        String s = null;
        OnnxTensor t = null;
        Longs floats = new Longs();
        Longs ints = new Longs();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            switch (field) {
                case 1 -> name = in.readStringRequireUtf8();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> s = in.readBytes().toStringUtf8();
                case 5 -> {
                    int old = in.pushLimit(len());
                    t = readTensor();
                    in.popLimit(old);
                }
                case 7 -> readRepeated(tag, WireFormat.WIRETYPE_FIXED32, floats);
                case 8 -> readRepeated(tag, WireFormat.WIRETYPE_VARINT, ints);
                default -> in.skipField(tag);
            }
        }
        float[] fl = new float[floats.size];
        for (int k = 0; k < fl.length; k++) {
            fl[k] = Float.intBitsToFloat((int) floats.values[k]);
        }
        return new OnnxAttribute(name, f, i, s, t, fl, ints.toArray());
    }

    private OnnxTensor readTensor() throws IOException {
        Longs dims = new Longs();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        Longs typed = null;
        int typedField = 0;
        Map<String, String> external = new LinkedHashMap<>();
        boolean isExternal = false;
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            switch (field) {
                case 1 -> readRepeated(tag, WireFormat.WIRETYPE_VARINT, dims);
                case 2 -> dataType = in.readInt32();
                case 4, 5, 7, 10 -> {
                    if (typed == null) {
                        typed = new Longs();
                        typedField = field;
                    } else if (typedField != field) {
                        throw new AmalgamException(file + ": tensor '" + name + "' has data in two typed fields");
                    }
                    int wire = field == 4 ? WireFormat.WIRETYPE_FIXED32
                            : field == 10 ? WireFormat.WIRETYPE_FIXED64 : WireFormat.WIRETYPE_VARINT;
                    readRepeated(tag, wire, typed);
                }
                case 8 -> name = in.readStringRequireUtf8();
                case 9 -> {
                    int n = len();
                    int start = in.getTotalBytesRead();
                    in.skipRawBytes(n);
                    raw = mapped.duplicate().position(start).limit(start + n).slice()
                            .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
                }
                case 13 -> {
                    int old = in.pushLimit(len());
                    String key = "";
                    String value = "";
                    for (int t2; (t2 = in.readTag()) != 0; ) {
                        int f2 = WireFormat.getTagFieldNumber(t2);
                        if (f2 == 1) {
                            key = in.readStringRequireUtf8();
                        } else if (f2 == 2) {
                            value = in.readStringRequireUtf8();
                        } else {
                            in.skipField(t2);
                        }
                    }
                    in.popLimit(old);
                    external.put(key, value);
                }
                case 14 -> isExternal = in.readInt32() == 1;
                default -> in.skipField(tag);
            }
        }
        long[] d = dims.toArray();
        for (long x : d) {
            if (x < 0) {
                throw new AmalgamException(file + ": tensor '" + name + "' has negative dimension " + Arrays.toString(d));
            }
        }
        if (OnnxTensor.numel(d) < 0) {
            throw new AmalgamException(file + ": tensor '" + name + "' has too many elements " + Arrays.toString(d));
        }
        return new OnnxTensor(name, dataType, d, raw, typed == null ? null : typed.toArray(), typedField,
                isExternal ? Map.copyOf(external) : null);
    }

    /** SparseTensorProto (values=1, indices=2, dims=3), checked here and densified when read. */
    private OnnxTensor readSparseTensor() throws IOException {
        OnnxTensor values = null;
        OnnxTensor indices = null;
        Longs dims = new Longs();
        for (int tag; (tag = in.readTag()) != 0; ) {
            int field = WireFormat.getTagFieldNumber(tag);
            if ((field == 1 || field == 2) && isLen(tag)) {
                int old = in.pushLimit(len());
                OnnxTensor t = readTensor();
                in.popLimit(old);
                if (field == 1) {
                    values = t;
                } else {
                    indices = t;
                }
            } else if (field == 3) {
                readRepeated(tag, WireFormat.WIRETYPE_VARINT, dims);
            } else {
                in.skipField(tag);
            }
        }
        if (values == null || indices == null) {
            throw new AmalgamException(file + ": sparse initializer without values or indices");
        }
        return SparseDensifier.sparse(file, values, indices, dims.toArray());
    }

    private void readRepeated(int tag, int elementWire, Longs out) throws IOException {
        if (isLen(tag)) {
            int old = in.pushLimit(len());
            while (in.getBytesUntilLimit() > 0) {
                out.add(readScalar(elementWire));
            }
            in.popLimit(old);
        } else if (wire(tag) == elementWire) {
            out.add(readScalar(elementWire));
        } else {
            throw new AmalgamException(file + ": unexpected wire type " + wire(tag) + " for field "
                    + WireFormat.getTagFieldNumber(tag));
        }
    }

    private long readScalar(int wire) throws IOException {
        return switch (wire) {
            case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32() & 0xFFFFFFFFL;
            case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
            default -> in.readRawVarint64();
        };
    }

    private int len() throws IOException {
        int n = in.readRawVarint32();
        if (n < 0) {
            throw new AmalgamException(file + ": negative length in protobuf data");
        }
        return n;
    }

    private static int wire(int tag) {
        return WireFormat.getTagWireType(tag);
    }

    private static boolean isLen(int tag) {
        return wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /** A growable long array. */
    static final class Longs {
        long[] values = new long[8];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
