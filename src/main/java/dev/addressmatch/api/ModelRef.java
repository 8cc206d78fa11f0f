package dev.addressmatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.addressmatch.model.ModelManifest;

/**
 * Which model and which deployment answered.
 *
 * @param name model name from its manifest
 * @param version model version from its manifest
 * @param revision the Knative revision serving the request ({@code K_REVISION}), when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelRef(String name, String version, String revision) {

  /** The Knative revision this pod belongs to, from the environment Knative sets; else null. */
  static final String REVISION = System.getenv("K_REVISION");

  static ModelRef of(ModelManifest manifest) {
    return new ModelRef(manifest.name(), manifest.version(), REVISION);
  }
}
