package dev.amalgam.io.onnx;

/**
 * One AttributeProto; only the kinds Amalgam reads are kept (f, i, s, t, floats, ints).
 * Fields that were absent are NaN / 0 / null / empty.
 */
record OnnxAttribute(String name, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints) {
}
