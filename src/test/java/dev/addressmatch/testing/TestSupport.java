package dev.addressmatch.testing;

import static io.restassured.RestAssured.given;

import dev.addressmatch.config.MatchConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/** Small helpers that several test classes share. */
public final class TestSupport {

  private TestSupport() {}

  /** The service's configuration with every default, built without starting Quarkus. */
  public static MatchConfig defaultConfig(String... keyValues) {
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .withMapping(MatchConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter());
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      builder.withDefaultValue(keyValues[i], keyValues[i + 1]);
    }
    return builder.build().getConfigMapping(MatchConfig.class);
  }

  /** The value of one series in the running service's /q/metrics, 0 when it is absent. */
  public static double metric(String series) {
    String prefix = series + " ";
    return given()
        .get("/q/metrics")
        .asString()
        .lines()
        .filter(line -> line.startsWith(prefix))
        .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
        .findFirst()
        .orElse(0);
  }
}
