/**
 * The {@code amalgam} command line ({@link dev.amalgam.cli.Main}, picocli): one command class per subcommand
 * (merge, run, eval, demo, finetune, export, convert, inspect, ...). The only place that prints; bad input
 * is one line and exit 2.
 */
package dev.amalgam.cli;
