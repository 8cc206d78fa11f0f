package dev.addressmatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model directory and manifest checks, each failure naming the file and field. */
class ModelFilesTest {

  @TempDir Path dir;

  private String failure(Consumer<ObjectNode> edit) throws Exception {
    Path model = ModelDirectories.embeddedCopy(dir.resolve("m"), edit);
    return assertThrows(ModelContractException.class, () -> ModelFiles.fromDirectory(model))
        .getMessage();
  }

  @Test
  void readsAValidDirectory() throws Exception {
    Path model = ModelDirectories.embeddedCopy(dir.resolve("m"), m -> m.put("name", "mine"));
    ModelFiles files = ModelFiles.fromDirectory(model);
    assertEquals("mine", files.manifest().name());
    assertEquals(ModelKind.EMBEDDING, files.manifest().kind());
    assertTrue(files.onnxFile().isPresent());
  }

  @Test
  void missingDirectoryNamesTheSetting() {
    String message =
        assertThrows(
                ModelContractException.class, () -> ModelFiles.fromDirectory(dir.resolve("absent")))
            .getMessage();
    assertTrue(message.contains("mgeo.model.path"), message);
  }

  @Test
  void missingFilesAreNamed() throws Exception {
    Path model = ModelDirectories.embeddedCopy(dir.resolve("m"), m -> {});
    Files.delete(model.resolve("tokenizer.json"));
    String message =
        assertThrows(ModelContractException.class, () -> ModelFiles.fromDirectory(model))
            .getMessage();
    assertTrue(message.contains("neither tokenizer.json nor vocab.txt"), message);
    Files.delete(model.resolve("model.onnx"));
    message =
        assertThrows(ModelContractException.class, () -> ModelFiles.fromDirectory(model))
            .getMessage();
    assertTrue(message.contains("model.onnx: file is missing"), message);
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    assertTrue(failure(m -> m.put("kind", "regressor")).contains("field 'kind' is 'regressor'"));
    assertTrue(failure(m -> m.remove("name")).contains("field 'name' is missing"));
    assertTrue(
        failure(m -> m.put("max_sequence_length", "long"))
            .contains("field 'max_sequence_length' is missing or not an integer"));
    assertTrue(failure(m -> m.put("max_sequence_length", 4)).contains("expected 8 to 8192"));
    assertTrue(failure(m -> m.put("pooling", "max")).contains("field 'pooling' is 'max'"));
    assertTrue(failure(m -> m.remove("thresholds")).contains("field 'thresholds' is missing"));
    assertTrue(
        failure(m -> ((ObjectNode) m.get("thresholds")).put("partial_match", 0.99))
            .contains("expected -1 < partial_match <= exact_match <= 1"));
  }

  @Test
  void classifierLabelsMustNameEachLevelOnce() throws Exception {
    Consumer<ObjectNode> classifier = m -> m.put("kind", "pair-classifier");
    assertTrue(
        failure(classifier.andThen(m -> m.putArray("labels").add("yes").add("no").add("maybe")))
            .contains("field 'labels' holds 'yes'"));
    assertTrue(
        failure(
                classifier.andThen(
                    m -> m.putArray("labels").add("not_match").add("not_match").add("exact_match")))
            .contains("field 'labels'"));
    Path model =
        ModelDirectories.embeddedCopy(
            dir.resolve("ok"),
            classifier.andThen(
                m ->
                    m.putArray("labels").add("exact_match").add("not_match").add("partial_match")));
    assertEquals(
        List.of(MatchLevel.EXACT_MATCH, MatchLevel.NOT_MATCH, MatchLevel.PARTIAL_MATCH),
        ModelFiles.fromDirectory(model).manifest().labels());
  }
}
