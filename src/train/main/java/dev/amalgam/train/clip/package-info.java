/**
 * CLIP training on the shared {@link dev.amalgam.train.TrainingLoop}: contrastive pretraining of both
 * towers ({@link dev.amalgam.train.clip.ContrastivePretrainer}) and vision-tower fine-tuning against
 * frozen zero-shot heads ({@link dev.amalgam.train.clip.VisionFineTuner}, the task-vectors recipe),
 * over any {@link dev.amalgam.train.clip.LabeledImages} / {@link dev.amalgam.train.clip.CaptionedImages}.
 * The {@code amalgam finetune} job around it (image folders, heads from catalog tasks) is
 * {@code dev.amalgam.eval.clip.ClipFineTuning}, one layer up, next to the datasets and suites it reads.
 */
package dev.amalgam.train.clip;
