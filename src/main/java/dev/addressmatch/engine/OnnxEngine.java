package dev.addressmatch.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.addressmatch.model.ModelContractException;
import dev.addressmatch.model.ModelFiles;
import dev.addressmatch.model.ModelKind;
import dev.addressmatch.model.ModelManifest;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The model inside an ONNX Runtime session, opened on the requested execution provider and checked
 * against its manifest before anything is served.
 */
public final class OnnxEngine implements InferenceEngine {

  private static final Logger LOG = Logger.getLogger(OnnxEngine.class);

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelManifest manifest;
  private final ExecutionProvider provider;

  private OnnxEngine(
      OrtEnvironment env, OrtSession session, ModelManifest manifest, ExecutionProvider provider) {
    this.env = env;
    this.session = session;
    this.manifest = manifest;
    this.provider = provider;
  }

  /**
   * Opens a session and checks that its inputs and outputs are those the manifest declares.
   *
   * @throws ModelContractException when the graph does not match the manifest
   * @throws EngineStartupException when the runtime or the requested provider cannot start
   */
  public static OnnxEngine open(ModelFiles files, EngineSettings settings) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] embedded = files.onnxFile().isPresent() ? null : files.onnxBytes();
    OrtSession session = null;
    ExecutionProvider used = settings.provider();
    if (settings.provider() != ExecutionProvider.CPU) {
      try {
        session = create(env, files, embedded, settings, true);
        used = ExecutionProvider.CUDA;
      } catch (OrtException | RuntimeException | LinkageError e) {
        if (settings.provider() == ExecutionProvider.CUDA) {
          throw new EngineStartupException(
              "the CUDA execution provider cannot be loaded (mgeo.engine.execution-provider=cuda): "
                  + e.getMessage(),
              e);
        }
        LOG.warnf(
            "CUDA execution provider unavailable, running on the CPU instead: %s", e.getMessage());
      }
    }
    if (session == null) {
      try {
        session = create(env, files, embedded, settings, false);
        used = ExecutionProvider.CPU;
      } catch (OrtException e) {
        throw new ModelContractException(
            files.location()
                + "/"
                + ModelFiles.MODEL_FILE
                + ": ONNX Runtime cannot load it: "
                + e.getMessage(),
            e);
      }
    }
    try {
      checkContract(session, files.manifest(), files.location());
    } catch (ModelContractException | OrtException e) {
      closeQuietly(session);
      if (e instanceof ModelContractException mce) {
        throw mce;
      }
      throw new ModelContractException(files.location() + ": cannot read the graph's signature", e);
    }
    return new OnnxEngine(env, session, files.manifest(), used);
  }

  private static OrtSession create(
      OrtEnvironment env, ModelFiles files, byte[] embedded, EngineSettings settings, boolean cuda)
      throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      // Idle intra-op threads would otherwise spin for a while after each run, taking the
      // cores that the HTTP threads and the tokenizer need between batches.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (cuda) {
        options.addCUDA(settings.cudaDeviceId());
      }
      if (embedded != null) {
        return env.createSession(embedded, options);
      }
      return env.createSession(files.onnxFile().orElseThrow().toString(), options);
    }
  }

  private static void checkContract(OrtSession session, ModelManifest m, String location)
      throws OrtException {
    String where = location + "/" + ModelManifest.FILE_NAME;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    Set<String> declared = new LinkedHashSet<>();
    declared.add(m.inputIds());
    declared.add(m.attentionMask());
    m.tokenTypeIds().ifPresent(declared::add);
    for (String name : declared) {
      NodeInfo info = inputs.get(name);
      if (info == null) {
        throw new ModelContractException(
            where
                + ": field 'inputs' names tensor '"
                + name
                + "', but the model's inputs are "
                + inputs.keySet());
      }
      if (!(info.getInfo() instanceof TensorInfo t)
          || t.type != OnnxJavaType.INT64
          || t.getShape().length != 2) {
        throw new ModelContractException(
            where
                + ": input '"
                + name
                + "' must be an int64 tensor [batch, sequence], the model"
                + " has "
                + info.getInfo());
      }
    }
    for (String name : inputs.keySet()) {
      if (!declared.contains(name)) {
        throw new ModelContractException(
            where + ": the model needs input '" + name + "', which field 'inputs' does not name");
      }
    }
    NodeInfo out = session.getOutputInfo().get(m.output());
    if (out == null) {
      throw new ModelContractException(
          where
              + ": field 'output' names tensor '"
              + m.output()
              + "', but the model's outputs"
              + " are "
              + session.getOutputInfo().keySet());
    }
    if (!(out.getInfo() instanceof TensorInfo t)) {
      throw new ModelContractException(where + ": output '" + m.output() + "' is not a tensor");
    }
    long[] shape = t.getShape();
    if (m.kind() == ModelKind.PAIR_CLASSIFIER) {
      long labels = shape.length == 2 ? shape[1] : 0;
      if (shape.length != 2 || (labels > 0 && labels != m.labels().size())) {
        throw new ModelContractException(
            where
                + ": output '"
                + m.output()
                + "' has shape "
                + Arrays.toString(shape)
                + "; a pair-classifier needs [batch, "
                + m.labels().size()
                + "] to match"
                + " field 'labels'");
      }
    } else if (shape.length != 2 && shape.length != 3) {
      throw new ModelContractException(
          where
              + ": output '"
              + m.output()
              + "' has shape "
              + Arrays.toString(shape)
              + "; an embedding model needs [batch, hidden] or [batch, sequence, hidden]");
    }
  }

  @Override
  public EngineOutput run(TokenBatch batch) throws InferenceException {
    Map<String, OnnxTensor> inputs = new HashMap<>(4);
    try {
      long[] shape = batch.shape();
      inputs.put(manifest.inputIds(), OnnxTensor.createTensor(env, batch.ids(), shape));
      inputs.put(manifest.attentionMask(), OnnxTensor.createTensor(env, batch.mask(), shape));
      if (manifest.tokenTypeIds().isPresent()) {
        inputs.put(
            manifest.tokenTypeIds().get(), OnnxTensor.createTensor(env, batch.typeIds(), shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(manifest.output()))) {
        OnnxTensor tensor = (OnnxTensor) result.get(0);
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return new EngineOutput(values, tensor.getInfo().getShape());
      }
    } catch (OrtException | RuntimeException e) {
      throw new InferenceException("ONNX Runtime failed on a batch of " + batch.rows(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public ExecutionProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.debug("closing the ONNX Runtime session failed", e);
    }
  }
}
