/**
 * Fine-tuning: {@link dev.amalgam.train.FineTuner} (AdamW without decay on norms, warmup-cosine schedule,
 * gradient clipping, early stopping on validation accuracy) over a {@link dev.amalgam.train.TrainableModel}
 * chosen by {@link dev.amalgam.train.TrainableModels}; {@link dev.amalgam.train.TextFineTuning} and
 * {@link dev.amalgam.train.MultiTaskFineTuning} fine-tune BERT-family encoders on text tasks
 * ({@link dev.amalgam.train.TextTask}) and save checkpoints with their heads.
 */
package dev.amalgam.train;
