package dev.amalgam.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.CausalLm;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code amalgam generate MODEL_DIR "prompt"}: greedy decoding with a KV cache (GPT-2, Llama, Mistral, Qwen2). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy text generation from a Hugging Face model directory (config.json, model.safetensors, tokenizer.json).")
public final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR")
    Path modelDir;

    @Parameters(index = "1", paramLabel = "PROMPT")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--show-ids", description = "Also print the prompt and generated token ids.")
    boolean showIds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        dev.amalgam.io.ModulatedDirectory.refuse(modelDir);
        if (maxNewTokens < 0) {
            throw new AmalgamException("--max-new-tokens must be ≥ 0, got " + maxNewTokens);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager();
             HuggingFaceTokenizer tok = Tokenizers.causalLm(modelDir);
             CausalLanguageModel model = ModelRegistry.loadCausalLm(modelDir, manager)) {
            long[] ids = tok.encode(prompt).getIds();
            if (ids.length == 0) {
                throw new AmalgamException("the prompt encodes to no tokens");
            }
            if (ids.length + (long) maxNewTokens > model.maxSequenceLength()) {
                throw new AmalgamException(modelDir + ": prompt (" + ids.length + " tokens) + --max-new-tokens "
                        + maxNewTokens + " exceeds the model's " + model.maxSequenceLength() + " positions");
            }
            long[] generated = CausalLm.greedy(model, ids, maxNewTokens, model.eosTokenId(), true);
            long[] all = Arrays.copyOf(ids, ids.length + generated.length);
            System.arraycopy(generated, 0, all, ids.length, generated.length);
            out.println(tok.decode(all, true));
            if (showIds) {
                out.println("prompt ids: " + Arrays.toString(ids));
                out.println("generated ids: " + Arrays.toString(generated));
            }
            out.flush();
        }
        return 0;
    }
}
