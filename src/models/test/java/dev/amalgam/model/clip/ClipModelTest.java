package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.HfConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

/**
 * CLIP against the python3-torch reference (src/scripts/make_model_fixtures.py, following modeling_clip):
 * "quickgelu" uses quick_gelu and the legacy argmax EOS rule (eos_token_id 2); "gelu_eos" uses exact
 * gelu and pools at the first eos_token_id (3). Both include a padded text row.
 */
class ClipModelTest {
    static NDManager manager;

    @BeforeAll
    static void init() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"quickgelu", "gelu_eos"})
    void towersAndLogitsMatchReference(String kase) {
        Path dir = Fixtures.dir("clip", kase);
        try (NDManager m = manager.newSubManager();
             ClipModel model = ClipModel.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m)) {
            Map<String, NDArray> e = Fixtures.expected(dir, m);
            NDArray pixels = e.get("pixel_values");
            NDArray ids = e.get("input_ids");
            NDArray mask = e.get("attention_mask");
            NDList vision = model.visionModel(model.ownWeights(), pixels);
            Fixtures.assertClose(kase + " vision last_hidden_state", vision.get(0), e.get("vision_last_hidden_state"), Fixtures.TOL);
            Fixtures.assertClose(kase + " vision pooler_output", vision.get(1), e.get("vision_pooler_output"), Fixtures.TOL);
            NDList text = model.textModel(model.ownWeights(), ids, mask);
            Fixtures.assertClose(kase + " text last_hidden_state", text.get(0), e.get("text_last_hidden_state"), Fixtures.TOL);
            Fixtures.assertClose(kase + " text pooler_output", text.get(1), e.get("text_pooler_output"), Fixtures.TOL);
            Fixtures.assertClose(kase + " image_embeds", model.imageFeatures(pixels), e.get("image_embeds"), Fixtures.TOL);
            Fixtures.assertClose(kase + " text_embeds", model.textFeatures(ids, mask), e.get("text_embeds"), Fixtures.TOL);
            NDList out = model.forward(new ParameterStore(m, false), new NDList(pixels, ids, mask), false);
            Fixtures.assertClose(kase + " logits_per_image", out.get(0), e.get("logits_per_image"), Fixtures.TOL);
            Fixtures.assertClose(kase + " logits_per_text", out.get(1), e.get("logits_per_text"), Fixtures.TOL);
        }
    }
}
