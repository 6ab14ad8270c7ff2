package dev.amalgam.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.TempDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The GPU check kit's program (docs/gpu.md): (c1) forward parity of tiny CLIP, BERT, GPT-2 and Llama
 * models, (c2) merge parity of every engine method, (c3) ViT-B/32 evaluation throughput at F32/F16/BF16;
 * one markdown table on stdout (and in {@code --out}). Exit 0 when every comparison is within its limit,
 * 1 when one is not.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "GPU-vs-CPU parity (forward passes, merges) and evaluation throughput; one markdown table (docs/gpu.md).")
public final class GpuCheck implements Callable<Integer> {

    @Option(names = "--device", defaultValue = "gpu", description = "Device under test: gpu or cpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--batch", defaultValue = "64", description = "Throughput batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed throughput iterations (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", description = "Timed throughput iterations (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--layers", defaultValue = "12", description = "Encoder layers for throughput (default ${DEFAULT-VALUE}, ViT-B/32).")
    int layers;

    @Option(names = "--skip-throughput", description = "Parity checks only.")
    boolean skipThroughput;

    @Option(names = "--out", description = "Also write the table (with a header of what ran where) to this file.")
    Path out;

    @Override
    public Integer call() {
        if (batch < 1 || iters < 1 || warmup < 0 || layers < 1) {
            throw new AmalgamException("gpu-check: --batch, --iters and --layers must be ≥ 1, --warmup ≥ 0");
        }
        Device test = device(device);
        Device reference = Device.cpu();
        CheckTable table = run(reference, test, skipThroughput ? null : new EvalThroughput.Settings(batch, warmup, iters, layers));
        String text = header(test) + "\n" + table.markdown();
        System.out.print(text);
        System.out.flush();
        if (out != null) {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AmalgamException("gpu-check: cannot write " + out + " (" + e.getMessage() + ")");
            }
        }
        return table.passed() ? 0 : 1;
    }

    /** The three checks; throughput is left out when {@code throughput} is null. */
    public static CheckTable run(Device reference, Device test, EvalThroughput.Settings throughput) {
        CheckTable table = new CheckTable();
        ForwardParity.run(reference, test, table);
        Path work;
        try {
            work = Files.createTempDirectory("amalgam-gpu-check");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            MergeParity.run(reference, test, work, table);
        } finally {
            TempDirs.delete(work);
        }
        if (throughput != null) {
            EvalThroughput.run(test, throughput, table);
        }
        return table;
    }

    static Device device(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu":
                return Device.cpu();
            case "gpu": case "cuda":
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new AmalgamException("gpu-check --device gpu: no GPU visible to the PyTorch engine ("
                            + Engine.getInstance().getVersion() + "); use the kit's run.sh or AMALGAM_DEVICE=gpu (docs/gpu.md), "
                            + "or --device cpu to exercise the comparisons on the CPU");
                }
                return Device.gpu();
            default:
                throw new AmalgamException("gpu-check: --device must be cpu or gpu, got '" + name + "'");
        }
    }

    /** "cpu", or "gpu0" for the first GPU: short enough for a table cell. */
    static String label(Device d) {
        return d.isGpu() ? "gpu" + d.getDeviceId() : "cpu";
    }

    private static String header(Device test) {
        Engine e = Engine.getInstance();
        return "gpu-check " + Instant.now() + ": " + e.getEngineName() + " " + e.getVersion() + " (DJL " + Engine.getDjlVersion()
                + "), device under test " + label(test) + " vs cpu, GPUs visible " + e.getGpuCount() + ", Java "
                + System.getProperty("java.version") + "\n";
    }
}
