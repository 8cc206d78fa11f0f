package dev.addressmatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressmatch.model.ModelContractException;
import dev.addressmatch.model.ModelDirectories;
import dev.addressmatch.model.ModelFiles;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening sessions: provider selection on a machine without CUDA (the CPU build of ONNX Runtime
 * cannot load it), and the check of a graph against its manifest.
 */
class OnnxEngineTest {

  @TempDir Path dir;

  private static EngineSettings settings(ExecutionProvider provider) {
    return new EngineSettings(provider, 0, 1);
  }

  @Test
  void autoFallsBackToTheCpuWhenCudaIsUnavailable() {
    try (OnnxEngine engine =
        OnnxEngine.open(ModelFiles.embeddedDefault(), settings(ExecutionProvider.AUTO))) {
      assertEquals(ExecutionProvider.CPU, engine.provider());
    }
  }

  @Test
  void cudaFailsStartupWhenCudaIsUnavailable() {
    EngineStartupException e =
        assertThrows(
            EngineStartupException.class,
            () -> OnnxEngine.open(ModelFiles.embeddedDefault(), settings(ExecutionProvider.CUDA)));
    assertTrue(e.getMessage().contains("mgeo.engine.execution-provider=cuda"), e.getMessage());
  }

  @Test
  void cpuRunsTheModel() throws Exception {
    try (OnnxEngine engine =
        OnnxEngine.open(ModelFiles.embeddedDefault(), settings(ExecutionProvider.CPU))) {
      assertEquals(ExecutionProvider.CPU, engine.provider());
    }
  }

  private String contractError(Consumer<ObjectNode> edit) throws Exception {
    Path model = ModelDirectories.embeddedCopy(dir.resolve("model"), edit);
    ModelContractException e =
        assertThrows(
            ModelContractException.class,
            () ->
                OnnxEngine.open(ModelFiles.fromDirectory(model), settings(ExecutionProvider.CPU)));
    return e.getMessage();
  }

  @Test
  void unknownOutputTensorIsNamed() throws Exception {
    String message = contractError(m -> m.put("output", "logits"));
    assertTrue(message.contains("manifest.json: field 'output' names tensor 'logits'"), message);
    assertTrue(message.contains("last_hidden_state"), message);
  }

  @Test
  void unknownInputTensorIsNamed() throws Exception {
    String message = contractError(m -> ((ObjectNode) m.get("inputs")).put("input_ids", "ids"));
    assertTrue(message.contains("field 'inputs' names tensor 'ids'"), message);
  }

  @Test
  void undeclaredModelInputIsNamed() throws Exception {
    String message = contractError(m -> ((ObjectNode) m.get("inputs")).remove("token_type_ids"));
    assertTrue(message.contains("the model needs input 'token_type_ids'"), message);
  }

  @Test
  void classifierManifestOnAnEmbeddingGraphIsRefused() throws Exception {
    String message =
        contractError(
            m -> {
              m.put("kind", "pair-classifier");
              m.putArray("labels").add("not_match").add("partial_match").add("exact_match");
            });
    assertTrue(message.contains("a pair-classifier needs [batch, 3]"), message);
  }
}
