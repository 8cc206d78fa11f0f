package dev.addressmatch.scoring;

import dev.addressmatch.batch.BatchListeners;
import dev.addressmatch.batch.BatchPolicy;
import dev.addressmatch.batch.Batcher;
import dev.addressmatch.config.MatchConfig;
import dev.addressmatch.engine.EngineFactory;
import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.EngineStartupException;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.model.AddressPair;
import dev.addressmatch.model.EmbeddingCache;
import dev.addressmatch.model.ModelContractException;
import dev.addressmatch.model.ModelFiles;
import dev.addressmatch.model.ModelManifest;
import dev.addressmatch.model.PairModel;
import dev.addressmatch.observability.ServiceMetrics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Owns the loaded model: reads it, opens the engine, checks the contract, warms up, and only then
 * declares the service ready. Loading runs on its own thread so that the health endpoints answer
 * (DOWN) while it happens. A model that cannot be loaded stops the process with one error line that
 * names the file or field at fault.
 */
@ApplicationScoped
public class ModelRuntime {

  private static final Logger LOG = Logger.getLogger(ModelRuntime.class);

  /** Where the model is in its life. */
  public enum State {
    LOADING,
    WARMING_UP,
    READY,
    /** Shutdown has begun: accepted requests finish, readiness is DOWN. */
    DRAINING,
    FAILED,
    STOPPED
  }

  /** Everything that exists once the model is loaded. */
  public record Loaded(ModelFiles files, InferenceEngine engine, PairModel model, Batcher batcher) {
    public ModelManifest manifest() {
      return files.manifest();
    }
  }

  private final MatchConfig config;
  private final ServiceMetrics metrics;
  private final EngineFactory engines;
  private final EngineHealth engineHealth;
  private volatile State state = State.LOADING;
  private volatile Loaded loaded;

  public ModelRuntime(MatchConfig config, ServiceMetrics metrics, EngineFactory engines) {
    this.config = config;
    this.metrics = metrics;
    this.engines = engines;
    this.engineHealth = new EngineHealth(config.engine().maxConsecutiveFailures());
  }

  void onStart(@Observes StartupEvent event) {
    Thread loader = new Thread(this::loadOrExit, "mgeo-model-loader");
    loader.setDaemon(true);
    loader.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    Loaded current = loaded;
    state = State.STOPPED;
    if (current != null) {
      current.batcher().close(Duration.ofSeconds(10));
      current.engine().close();
    }
  }

  private void loadOrExit() {
    try {
      load();
    } catch (ModelContractException | EngineStartupException e) {
      state = State.FAILED;
      LOG.errorf("Cannot start: %s", e.getMessage());
      Quarkus.asyncExit(1);
    } catch (RuntimeException | InferenceException e) {
      state = State.FAILED;
      LOG.error("Cannot start: the model failed to load or warm up", e);
      Quarkus.asyncExit(1);
    }
  }

  void load() throws InferenceException {
    long start = System.nanoTime();
    ModelFiles files =
        config.model().path().map(ModelFiles::fromDirectory).orElseGet(ModelFiles::embeddedDefault);
    int threads =
        config.engine().intraOpThreads().orElse(Runtime.getRuntime().availableProcessors());
    EngineSettings settings =
        new EngineSettings(
            config.engine().executionProvider(), config.engine().cudaDeviceId(), threads);
    InferenceEngine engine = engines.open(files, settings);
    ModelManifest m = files.manifest();
    LOG.infof(
        "Model %s %s (%s, from %s) loaded on %s with %d intra-op threads",
        m.name(),
        m.version(),
        m.kind().manifestName(),
        files.location(),
        engine.provider(),
        threads);
    metrics.provider(engine.provider(), m.name());

    state = State.WARMING_UP;
    int maxBatch = config.batch().maxSize();
    // Warm up without the cache, so that every batch size really runs the model.
    List<Integer> sizes = warmUp(PairModel.of(files, engine), maxBatch);
    EmbeddingCache cache =
        config.cache().enabled()
            ? EmbeddingCache.bounded(config.cache().maxEntries())
            : EmbeddingCache.disabled();
    metrics.embeddingCache(cache);
    PairModel model = PairModel.of(files, engine, cache);
    BatchPolicy policy =
        new BatchPolicy(
            maxBatch, config.batch().maxDelay().toNanos(), config.batch().tokenBudget());
    Batcher batcher =
        new Batcher(
            model,
            policy,
            config.batch().maxQueuedPairs(),
            new BatchListeners(metrics, engineHealth),
            System::nanoTime);
    metrics.queueDepth(batcher::queued);
    loaded = new Loaded(files, engine, model, batcher);
    state = State.READY;
    LOG.infof(
        "Ready in %d ms: warmed up at batch sizes %s; batches of up to %d pairs and %d padded"
            + " tokens, %d ms delay, %d pairs queued at most, request timeout %d ms, embedding"
            + " cache %s",
        (System.nanoTime() - start) / 1_000_000,
        sizes,
        maxBatch,
        config.batch().tokenBudget(),
        config.batch().maxDelay().toMillis(),
        config.batch().maxQueuedPairs(),
        config.batch().requestTimeout().toMillis(),
        config.cache().enabled() ? "on, " + config.cache().maxEntries() + " entries" : "off");
  }

  /** Runs real inferences at each power-of-two batch size up to the largest one in use. */
  private static List<Integer> warmUp(PairModel model, int maxBatch) throws InferenceException {
    List<Integer> sizes = new ArrayList<>();
    for (int size = 1; ; size = Math.min(size * 2, maxBatch)) {
      List<AddressPair> pairs = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        pairs.add(WarmUpPairs.get(i));
      }
      model.score(pairs);
      sizes.add(size);
      if (size == maxBatch) {
        return sizes;
      }
    }
  }

  /** Consecutive batch failures, for liveness. */
  public EngineHealth engineHealth() {
    return engineHealth;
  }

  /** Readiness goes DOWN as soon as shutdown begins, before anything stops. */
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    if (state == State.READY) {
      state = State.DRAINING;
      LOG.info("Shutting down: readiness DOWN, finishing accepted requests");
    }
  }

  public State state() {
    return state;
  }

  /** The loaded model, or {@link NotReadyException} while it loads. */
  public Loaded loaded() {
    Loaded current = loaded;
    if (current == null || (state != State.READY && state != State.DRAINING)) {
      throw new NotReadyException("the model is " + state.name().toLowerCase(Locale.ROOT));
    }
    return current;
  }

  /** The loaded model if there is one, without failing. */
  public Optional<Loaded> current() {
    return Optional.ofNullable(loaded);
  }

  public ExecutionProvider provider() {
    Loaded current = loaded;
    return current == null ? null : current.engine().provider();
  }
}
