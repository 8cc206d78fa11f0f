package dev.addressmatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressmatch.testing.PackagedApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application, started on a model that breaks its contract, stops by itself with one
 * error line naming the file and field, and no stack trace.
 */
class StartupFailureIT {

  @TempDir Path dir;

  private String runToExit(Path model) throws Exception {
    Process process =
        PackagedApp.start(
            Map.of("MGEO_MODEL_PATH", model.toString(), "QUARKUS_HTTP_PORT", "0"),
            dir.resolve("out.log"));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process did not stop by itself");
    assertEquals(1, process.exitValue());
    return Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
  }

  @Test
  void mismatchedManifestStopsStartupWithOneLine() throws Exception {
    Path model =
        ModelDirectories.embeddedCopy(dir.resolve("model"), m -> m.put("output", "logits"));
    String output = runToExit(model);
    List<String> errors = output.lines().filter(l -> l.contains("ERROR")).toList();
    assertEquals(1, errors.size(), output);
    assertTrue(
        errors.get(0).contains("manifest.json: field 'output' names tensor 'logits'"), output);
    assertFalse(output.contains("\tat "), output);
  }

  @Test
  void missingDirectoryStopsStartupNamingTheSetting() throws Exception {
    String output = runToExit(dir.resolve("absent"));
    assertTrue(output.contains("Cannot start: model directory"), output);
    assertTrue(output.contains("mgeo.model.path"), output);
    assertFalse(output.contains("\tat "), output);
  }
}
