package dev.amalgam.io;

import dev.amalgam.AmalgamException;

/** Element types of safetensors files, with their byte sizes. */
public enum DType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    public int byteSize() {
        return byteSize;
    }

    /** True for the floating-point types, the only ones merge methods touch. */
    public boolean isFloat() {
        return floating;
    }

    /** The dtype string used in safetensors headers ("F32", "BF16", ...). */
    public String safetensorsName() {
        return name();
    }

    public static DType fromSafetensors(String name, String where) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new AmalgamException(where + ": unknown dtype '" + name + "'");
    }

    /** Parses user spellings: bf16, bfloat16, f16, float16, half, f32, float32, float. */
    public static DType parseUser(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "bf16": case "bfloat16": return BF16;
            case "f16": case "fp16": case "float16": case "half": return F16;
            case "f32": case "fp32": case "float32": case "float": return F32;
            case "f64": case "float64": case "double": return F64;
            default: throw new AmalgamException("unknown dtype '" + s + "' (use bf16, f16 or f32)");
        }
    }
}
