/**
 * Evaluation suites: {@link dev.amalgam.eval.run.EvaluationSuite} (what a merged model is measured on, with
 * weights written in place between cells), the text suite on BERT-family encoders
 * ({@link dev.amalgam.eval.run.TextTaskSuite}, {@link dev.amalgam.eval.run.TextSuiteEvaluator}), linear probes and
 * the language-model evaluation run.
 */
package dev.amalgam.eval.run;
