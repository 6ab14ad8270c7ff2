/**
 * What evaluations become for people: result tables ({@link dev.amalgam.report.ResultTable},
 * {@link dev.amalgam.report.ReportTables}) written as CSV, Markdown and a self-contained HTML report
 * ({@link dev.amalgam.report.ReportWriter}, {@link dev.amalgam.report.HtmlReport} with SVG charts); the
 * statistics behind them — Wilson intervals per accuracy ({@link dev.amalgam.report.Wilson}), per-example
 * outcomes ({@link dev.amalgam.report.Outcomes}, {@link dev.amalgam.report.OutcomesFile}) and the paired
 * bootstrap of a difference ({@link dev.amalgam.report.PairedBootstrap}, docs/run.md "Statistics"),
 * normalized accuracy, and the spread over runs of several zoo seeds ({@link dev.amalgam.report.SeedSpread});
 * and progress on long work ({@link dev.amalgam.report.Progress}: a bar on a console, log lines otherwise).
 */
package dev.amalgam.report;
