package dev.amalgam.merge.linalg;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The generated TorchScript module {@code linalg.pt} (built by src/scripts/build_linalg_module.py),
 * loaded once per JVM on first use. DJL has no SVD/eigh; libtorch has, and a scripted module is the
 * only public route to it. The module holds no parameters, so it runs on whatever device its input
 * lives on. Running a TorchScript method concurrently is safe; the first forward (DJL records shapes
 * then) happens inside the holder's initialisation, before any caller sees the block.
 *
 * <p>Forwards run with DJL's training flag on: that is what keeps libtorch out of InferenceMode, so the
 * results are ordinary tensors that callers may update in place. No autograd graph is recorded: DJL
 * starts the engine with grad mode off and the module has no parameters.
 */
final class LinalgModule {
    static final String RESOURCE = "/dev/amalgam/merge/linalg/linalg.pt";

    private LinalgModule() {
    }

    private static final class Holder {
        static final Model MODEL = load();
        static final Block BLOCK = MODEL.getBlock();

        static {
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                BLOCK.forward(new ParameterStore(m, false), new NDList(m.eye(2)), true);
            }
        }

        private static Model load() {
            Model model = Model.newInstance("amalgam-linalg", Device.cpu(), "PyTorch");
            try (InputStream in = LinalgModule.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE + " (run src/scripts/build_linalg_module.py)");
                }
                model.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + RESOURCE, e);
            } catch (ai.djl.MalformedModelException e) {
                throw new IllegalStateException("cannot load " + RESOURCE, e);
            }
            return model;
        }
    }

    /** Runs the module's forward (SVD): [U, S, Vh] attached to x's manager. */
    static NDList forward(NDArray x) {
        return Holder.BLOCK.forward(new ParameterStore(x.getManager(), false), new NDList(x), true);
    }

    /**
     * Runs an exported method through DJL's {@code module_method:} dispatch; outputs are attached
     * to x's manager (the manager of the first input).
     */
    static NDList call(String method, NDArray x) {
        NDArray selector = x.getManager().create(0f);
        selector.setName("module_method:" + method);
        try {
            return Holder.BLOCK.forward(new ParameterStore(x.getManager(), false), new NDList(x, selector), true);
        } finally {
            selector.close();
        }
    }
}
