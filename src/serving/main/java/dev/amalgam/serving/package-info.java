/**
 * Deployment with DJL: {@link dev.amalgam.serving.DjlServingExporter} writes a DJL Serving model directory
 * (text classification, text generation, zero-shot image classification) whose blocks and translators
 * are built by {@link dev.amalgam.serving.AmalgamBlockFactory}; the same directory loads with DJL
 * {@code Criteria}.
 */
package dev.amalgam.serving;
