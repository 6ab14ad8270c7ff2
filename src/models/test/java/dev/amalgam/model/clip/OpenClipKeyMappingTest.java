package dev.amalgam.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.HfConfig;
import dev.amalgam.model.MapWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture's openclip.safetensors was produced in python from the HF weights (fused in_proj, transposed
 * projections, an attn_mask buffer); mapping it back must give exactly the HF tensors and embeddings.
 */
class OpenClipKeyMappingTest {
    static NDManager manager;
    static Path dir = Fixtures.dir("clip", "quickgelu");

    @BeforeAll
    static void init() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void everyHfTensorIsReproducedExactly() {
        try (NDManager m = manager.newSubManager()) {
            MapWeights hf = Fixtures.weights(dir, m);
            MapWeights oc = Fixtures.readSafetensors(dir.resolve("openclip.safetensors"), m);
            assertTrue(OpenClipKeyMapping.looksLikeOpenClip(oc.names()));
            assertTrue(!OpenClipKeyMapping.looksLikeOpenClip(hf.names()));
            OpenClipKeyMapping mapped = new OpenClipKeyMapping(oc);
            assertEquals(new TreeSet<>(hf.names()), new TreeSet<>(mapped.names()));
            for (String name : hf.names()) {
                NDArray want = hf.load(name, m);
                NDArray got = mapped.load(name, m);
                assertEquals(want.getShape(), got.getShape(), name);
                assertEquals(0.0, got.sub(want).abs().max().getFloat(), 0.0, name);
            }
            assertEquals("visual.transformer.resblocks.1.attn.in_proj_bias",
                    mapped.sourceName("vision_model.encoder.layers.1.self_attn.v_proj.bias"));
            assertEquals("text_projection", mapped.sourceName("text_projection.weight"));
        }
    }

    @Test
    void modelLoadedFromOpenClipMatchesReferenceEmbeddings() {
        try (NDManager m = manager.newSubManager()) {
            MapWeights oc = Fixtures.readSafetensors(dir.resolve("openclip.safetensors"), m);
            try (ClipModel model = ClipModel.load(HfConfig.read(dir.resolve("config.json")), new OpenClipKeyMapping(oc), m)) {
                Map<String, NDArray> e = Fixtures.expected(dir, m);
                Fixtures.assertClose("openclip image_embeds", model.imageFeatures(e.get("pixel_values")),
                        e.get("image_embeds"), Fixtures.TOL);
                Fixtures.assertClose("openclip text_embeds", model.textFeatures(e.get("input_ids"), e.get("attention_mask")),
                        e.get("text_embeds"), Fixtures.TOL);
            }
        }
    }

    @Test
    void unknownKeyIsNamed() {
        try (NDManager m = manager.newSubManager()) {
            MapWeights oc = Fixtures.readSafetensors(dir.resolve("openclip.safetensors"), m);
            oc.arrays().put("visual.transformer.resblocks.0.ls_1.gamma", m.ones(new ai.djl.ndarray.types.Shape(32)));
            AmalgamException ex = assertThrows(AmalgamException.class, () -> new OpenClipKeyMapping(oc));
            assertTrue(ex.getMessage().contains("ls_1.gamma"), ex.getMessage());
        }
    }
}
