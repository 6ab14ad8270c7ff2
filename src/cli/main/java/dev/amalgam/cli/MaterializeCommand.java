package dev.amalgam.cli;

import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.DType;
import dev.amalgam.io.OutputLock;
import dev.amalgam.merge.Materializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code amalgam materialize DIR --task NAME --out OUT}: one task's model from an EMR/TALL output. */
@Command(name = "materialize", mixinStandardHelpOptions = true,
        description = "Write one task's model from an EMR/TALL (task-modulated) merge output.")
public final class MaterializeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Directory written by 'amalgam merge' for emr or tall_masks.")
    Path dir;

    @Option(names = "--task", required = true, description = "Task name (see modulated.json).")
    String task;

    @Option(names = "--out", required = true, description = "Output directory (must not exist).")
    Path out;

    @Option(names = "--out-dtype", description = "bf16, f16 or f32 (default: the base's dtype).")
    String outDtype;

    @Option(names = "--max-shard-size", defaultValue = "5GB")
    String maxShardSize;

    @Override
    public Integer call() {
        try (OutputLock lock = OutputLock.acquire(out)) {
            Materializer.materialize(dir, task, out, outDtype == null ? null : DType.parseUser(outDtype), ByteSizes.parse(maxShardSize));
        }
        System.err.println("amalgam: wrote task '" + task + "' model to " + out);
        return 0;
    }
}
