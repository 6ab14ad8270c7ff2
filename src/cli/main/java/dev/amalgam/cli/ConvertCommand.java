package dev.amalgam.cli;

import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.CheckpointConverter;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.OutputLock;
import dev.amalgam.io.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code amalgam convert IN OUT [--dtype bf16] [--max-shard-size 5GB]}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Rewrite a checkpoint as a Hugging Face safetensors directory (optionally cast, re-shard).")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "HF model directory, .safetensors file or index.json")
    Path in;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT", description = "Output directory (or --out)")
    Path outPositional;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (must not exist, or be empty).")
    Path outOption;

    @Option(names = {"--out-dtype", "--dtype"}, paramLabel = "DTYPE",
            description = "Cast float tensors: bf16, f16, f32 or f64 (--dtype is the same option).")
    String dtype;

    @Option(names = "--max-shard-size", paramLabel = "SIZE", defaultValue = "5GB",
            description = "Largest shard, e.g. 500MB, 2GB, 1e9 (default ${DEFAULT-VALUE}).")
    String maxShardSize;

    @Option(names = "--full-hash", description = "Hash every input byte for the provenance metadata "
            + "(default: size + first and last MiB of each file).")
    boolean fullHash;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((outPositional == null) == (outOption == null)) {
            throw new dev.amalgam.AmalgamException("give the output directory once: as OUT or with --out");
        }
        Path out = outOption != null ? outOption : outPositional;
        DType target = dtype == null ? null : DType.parseUser(dtype);
        long shard = ByteSizes.parse(maxShardSize);
        try (OutputLock lock = OutputLock.acquire(out); Checkpoint c = Checkpoints.open(in)) {
            CheckpointConverter.convert(c, out, target, shard,
                    CheckpointConverter.provenance(c, fullHash ? Provenance.Mode.FULL : Provenance.Mode.QUICK));
        }
        spec.commandLine().getOut().println("wrote " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
