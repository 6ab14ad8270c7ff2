/**
 * BERT: the Hugging Face {@code BertModel} forward as a DJL block ({@link dev.amalgam.model.bert.BertEncoder}),
 * its config, pooling, classifier head and WordPiece tokenizer, and {@link dev.amalgam.model.bert.BertModelFiles}
 * (weights, config and tokenizer of a model on disk).
 */
package dev.amalgam.model.bert;
