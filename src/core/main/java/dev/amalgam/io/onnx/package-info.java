/**
 * ONNX exports read as checkpoints: a protobuf reader with no generated classes
 * ({@link dev.amalgam.io.onnx.OnnxModelReader}), the importer that recovers Hugging Face tensor names
 * ({@link dev.amalgam.io.onnx.OnnxImporter}, {@link dev.amalgam.io.onnx.OnnxCheckpoints}) and the pretrained
 * encoders packaged as Maven jars ({@link dev.amalgam.io.onnx.PackagedEncoders}).
 */
package dev.amalgam.io.onnx;
