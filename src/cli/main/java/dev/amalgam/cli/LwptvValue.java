package dev.amalgam.cli;

import picocli.CommandLine;

import java.util.Map;
import java.util.Stack;

/**
 * {@code --lwptv} takes an optional KEY=VALUE list. Only an argument that looks like one is consumed, so
 * {@code merge --lwptv recipe.yaml} keeps recipe.yaml as the recipe instead of reading it as options.
 */
final class LwptvValue implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandLine.Model.CommandSpec spec, CommandLine.Model.ArgSpec arg,
                              Map<String, Object> info) {
        if (!args.isEmpty() && args.peek().contains("=") && !args.peek().startsWith("-")) {
            return false; // picocli consumes the KEY=VALUE list
        }
        arg.setValue("");
        return true;
    }
}
