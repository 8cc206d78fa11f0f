package dev.addressmatch.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressmatch.model.tokenizer.TokenizerFiles;
import dev.addressmatch.model.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model as the service reads it: manifest, tokenizer and the ONNX graph, from a directory or from
 * the default model embedded in the application.
 *
 * <p>A model directory holds {@code manifest.json}, {@code model.onnx} and either {@code
 * tokenizer.json} or {@code vocab.txt}.
 */
public final class ModelFiles {

  public static final String MODEL_FILE = "model.onnx";

  /** Where the embedded default's manifest lives on the class path. */
  static final String DEFAULT_MANIFEST = "default-model/manifest.json";

  /** The ONNX graph and tokenizer that the model-carrier jar holds at its root. */
  static final String DEFAULT_ONNX = "bge-small-zh-v1.5-q.onnx";

  static final String DEFAULT_TOKENIZER = "bge-small-zh-v1.5-q-tokenizer.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelManifest manifest;
  private final WordPieceTokenizer tokenizer;
  private final Optional<Path> onnxFile;
  private final String location;

  private ModelFiles(
      ModelManifest manifest,
      WordPieceTokenizer tokenizer,
      Optional<Path> onnxFile,
      String location) {
    this.manifest = manifest;
    this.tokenizer = tokenizer;
    this.onnxFile = onnxFile;
    this.location = location;
  }

  /** Reads a model directory, failing with the missing or faulty file named. */
  public static ModelFiles fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelContractException(
          "model directory " + dir + " does not exist or is not a directory (mgeo.model.path)");
    }
    Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
    if (!Files.isRegularFile(manifestFile)) {
      throw new ModelContractException(manifestFile + ": file is missing");
    }
    ModelManifest manifest;
    try {
      manifest = ModelManifest.parse(JSON.readTree(manifestFile.toFile()), manifestFile.toString());
    } catch (IOException e) {
      throw new ModelContractException(manifestFile + ": not valid JSON: " + e.getMessage());
    }
    Path onnx = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(onnx)) {
      throw new ModelContractException(onnx + ": file is missing");
    }
    return new ModelFiles(manifest, readTokenizer(dir), Optional.of(onnx), dir.toString());
  }

  private static WordPieceTokenizer readTokenizer(Path dir) {
    Path json = dir.resolve("tokenizer.json");
    Path vocab = dir.resolve("vocab.txt");
    try {
      if (Files.isRegularFile(json)) {
        return TokenizerFiles.fromTokenizerJson(json);
      }
      if (Files.isRegularFile(vocab)) {
        return TokenizerFiles.fromVocabTxt(vocab);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelContractException(dir + ": tokenizer cannot be read: " + e.getMessage(), e);
    }
    throw new ModelContractException(dir + ": neither tokenizer.json nor vocab.txt is present");
  }

  /** The embedded default: bge-small-zh-v1.5, int8, as an embedding model. */
  public static ModelFiles embeddedDefault() {
    try (InputStream manifestIn = resource(DEFAULT_MANIFEST);
        InputStream tokenizerIn = resource(DEFAULT_TOKENIZER)) {
      JsonNode root = JSON.readTree(manifestIn);
      ModelManifest manifest = ModelManifest.parse(root, "classpath:" + DEFAULT_MANIFEST);
      WordPieceTokenizer tokenizer =
          TokenizerFiles.fromTokenizerJson(tokenizerIn, "classpath:" + DEFAULT_TOKENIZER);
      return new ModelFiles(manifest, tokenizer, Optional.empty(), "embedded default");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new ModelContractException(
          "classpath:" + name + " is missing: the embedded default model is not packaged");
    }
    return in;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public WordPieceTokenizer tokenizer() {
    return tokenizer;
  }

  /** Where the model came from, for logs and the model description. */
  public String location() {
    return location;
  }

  /** The ONNX file on disk, or empty for the embedded model (read with {@link #onnxBytes}). */
  public Optional<Path> onnxFile() {
    return onnxFile;
  }

  /** The serialized ONNX graph of the embedded model. */
  public byte[] onnxBytes() {
    try (InputStream in = resource(DEFAULT_ONNX)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
