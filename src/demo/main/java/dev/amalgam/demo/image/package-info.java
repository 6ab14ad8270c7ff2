/**
 * The demo's image zoo and suite (docs/image-suite.md): {@link dev.amalgam.demo.image.ImageZoo} builds, from
 * packaged data only, a tiny CLIP pretrained here and its vision tower fine-tuned per task
 * ({@link dev.amalgam.demo.image.ImageTask}, data from {@link dev.amalgam.demo.image.TaskData} and the
 * pretraining mix {@link dev.amalgam.demo.image.PretrainMix}), reproducibly (one libtorch thread,
 * {@link dev.amalgam.demo.image.ZooThreads}; checksums in a manifest); {@link dev.amalgam.demo.image.ImageSuite}
 * opens it for evaluation. The general training code lives in {@code dev.amalgam.train.clip}.
 */
package dev.amalgam.demo.image;
