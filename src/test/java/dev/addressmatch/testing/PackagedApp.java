package dev.addressmatch.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Starts the packaged application (the fast-jar the build wrote) as its own process. */
public final class PackagedApp {

  private PackagedApp() {}

  /**
   * Starts {@code target/quarkus-app/quarkus-run.jar} on the CPU provider with {@code env} added to
   * the environment, its output and errors going to {@code log}.
   */
  public static Process start(Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MGEO_ENGINE_EXECUTION_PROVIDER", "cpu");
    builder.environment().putAll(env);
    return builder.start();
  }
}
