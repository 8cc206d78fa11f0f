package dev.addressmatch.api;

import ai.onnxruntime.OrtEnvironment;
import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.model.ModelKind;
import dev.addressmatch.model.ModelManifest;
import dev.addressmatch.scoring.ModelRuntime;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Describes the model in service and how it runs: a plain REST read that Funqy is not for. */
@Path("/model")
public class ModelResource {

  private final ModelRuntime runtime;
  private final MatchConfig config;

  public ModelResource(ModelRuntime runtime, MatchConfig config) {
    this.runtime = runtime;
    this.config = config;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response describe() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", runtime.state().name().toLowerCase(Locale.ROOT));
    runtime
        .current()
        .ifPresent(
            loaded -> {
              ModelManifest m = loaded.manifest();
              Map<String, Object> model = new LinkedHashMap<>();
              model.put("name", m.name());
              model.put("version", m.version());
              model.put("kind", m.kind().manifestName());
              model.put("source", loaded.files().location());
              model.put("max_sequence_length", m.maxSequenceLength());
              model.put("vocabulary_size", loaded.files().tokenizer().vocabularySize());
              if (m.kind() == ModelKind.EMBEDDING) {
                model.put("pooling", m.pooling().name().toLowerCase(Locale.ROOT));
                model.put(
                    "thresholds",
                    Map.of(
                        "exact_match", m.exactThreshold(), "partial_match", m.partialThreshold()));
              } else {
                model.put("labels", m.labels());
              }
              body.put("model", model);
              body.put(
                  "execution_provider", loaded.engine().provider().name().toLowerCase(Locale.ROOT));
            });
    Map<String, Object> runtimeInfo = new LinkedHashMap<>();
    runtimeInfo.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
    runtimeInfo.put(
        "requested_provider", config.engine().executionProvider().name().toLowerCase(Locale.ROOT));
    runtimeInfo.put(
        "intra_op_threads",
        config.engine().intraOpThreads().orElse(Runtime.getRuntime().availableProcessors()));
    runtimeInfo.put("java", Runtime.version().toString());
    runtimeInfo.put("revision", ModelRef.REVISION);
    body.put("runtime", runtimeInfo);
    body.put(
        "batching",
        Map.of(
            "max_size", config.batch().maxSize(),
            "max_delay_ms", config.batch().maxDelay().toMillis(),
            "max_queued_pairs", config.batch().maxQueuedPairs()));
    body.put(
        "limits",
        Map.of(
            "max_chars", config.input().maxChars(),
            "max_batch_pairs", config.input().maxBatchPairs(),
            "max_body_bytes", config.input().maxBodyBytes()));
    return Response.ok(body).build();
  }
}
