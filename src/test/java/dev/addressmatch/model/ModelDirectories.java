package dev.addressmatch.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Writes model directories for tests from the embedded default's files. */
public final class ModelDirectories {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelDirectories() {}

  /** A copy of the embedded model as a directory, its manifest edited by {@code edit}. */
  public static Path embeddedCopy(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Files.createDirectories(dir);
    copy(ModelFiles.DEFAULT_ONNX, dir.resolve(ModelFiles.MODEL_FILE));
    copy(ModelFiles.DEFAULT_TOKENIZER, dir.resolve("tokenizer.json"));
    ObjectNode manifest;
    try (InputStream in = resource(ModelFiles.DEFAULT_MANIFEST)) {
      manifest = (ObjectNode) JSON.readTree(in);
    }
    edit.accept(manifest);
    JSON.writeValue(dir.resolve(ModelManifest.FILE_NAME).toFile(), manifest);
    return dir;
  }

  private static void copy(String resource, Path target) throws IOException {
    if (!Files.exists(target)) {
      try (InputStream in = resource(resource)) {
        Files.copy(in, target);
      }
    }
  }

  private static InputStream resource(String name) {
    return ModelDirectories.class.getClassLoader().getResourceAsStream(name);
  }
}
