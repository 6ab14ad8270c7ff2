package dev.amalgam.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertModelFiles;
import dev.amalgam.model.bert.BertPooling;
import dev.amalgam.model.bert.BertTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code amalgam embed MODEL "text" ...}: sentence embeddings from a BERT encoder. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed texts with a BERT-family encoder (HF directory or .onnx export).")
final class EmbedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory (config.json, safetensors, "
            + "tokenizer.json) or an .onnx export with its tokenizer")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "Texts to embed")
    List<String> texts;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean or cls (default ${DEFAULT-VALUE})")
    String pooling;

    @Option(names = "--normalize", description = "Scale embeddings to unit length.")
    boolean normalize;

    @Option(names = "--max-length", defaultValue = "512", description = "Truncate texts to this many tokens.")
    int maxLength;

    @Option(names = "--json", description = "Print the full embeddings as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!pooling.equals("mean") && !pooling.equals("cls")) {
            throw new dev.amalgam.AmalgamException("--pooling must be mean or cls, not '" + pooling + "'");
        }
        dev.amalgam.io.ModulatedDirectory.refuse(model);
        PrintWriter out = spec.commandLine().getOut();
        try (BertModelFiles files = BertModelFiles.open(model);
             NDManager manager = NDManager.newBaseManager();
             BertEncoder encoder = BertEncoder.load(files.config(), files.weights(), manager);
             BertTokenizer tok = BertTokenizer.open(files.tokenizer(),
                     Math.min(maxLength, files.config().maxPositions()))) {
            BertTokenizer.Batch b = tok.batch(texts, manager);
            NDArray hidden = encoder.forward(b.inputIds(), b.attentionMask(), b.tokenTypeIds()).head();
            NDArray e = pooling.equals("cls") ? BertPooling.cls(hidden) : BertPooling.mean(hidden, b.attentionMask());
            if (normalize) {
                e = BertPooling.normalize(e);
            }
            int dim = (int) e.getShape().get(1);
            float[] v = e.toFloatArray();
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode all = mapper.createArrayNode();
            for (int i = 0; i < texts.size(); i++) {
                double norm = 0;
                for (int k = 0; k < dim; k++) {
                    norm += (double) v[i * dim + k] * v[i * dim + k];
                }
                if (json) {
                    ObjectNode o = all.addObject();
                    o.put("text", texts.get(i));
                    ArrayNode a = o.putArray("embedding");
                    for (int k = 0; k < dim; k++) {
                        a.add(v[i * dim + k]);
                    }
                } else {
                    StringBuilder first = new StringBuilder();
                    for (int k = 0; k < Math.min(5, dim); k++) {
                        first.append(String.format(" %.4f", v[i * dim + k]));
                    }
                    out.printf("%d\tdim=%d\tnorm=%.4f\tfirst=[%s ]\t%s%n", i, dim, Math.sqrt(norm), first,
                            texts.get(i));
                }
            }
            if (json) {
                out.println(mapper.writeValueAsString(all));
            }
        }
        out.flush();
        return 0;
    }
}
