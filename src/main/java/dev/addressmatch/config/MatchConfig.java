package dev.addressmatch.config;

import dev.addressmatch.engine.ExecutionProvider;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every setting of the service, under the {@code mgeo} prefix. Each is also read from the
 * environment in upper case with underscores, e.g. {@code MGEO_MODEL_PATH}.
 */
@ConfigMapping(prefix = "mgeo")
public interface MatchConfig {

  Model model();

  Engine engine();

  Input input();

  Batch batch();

  Events events();

  Cache cache();

  /** Which model to serve. */
  interface Model {
    /**
     * Model directory holding {@code manifest.json}, {@code model.onnx} and a tokenizer. Unset: the
     * embedded bge-small-zh-v1.5 default, which is for trying the service, not production.
     */
    Optional<Path> path();
  }

  /** ONNX Runtime settings. */
  interface Engine {
    /** {@code auto} (CUDA if it loads, else CPU with a warning), {@code cuda} or {@code cpu}. */
    @WithDefault("auto")
    ExecutionProvider executionProvider();

    /** GPU ordinal for the CUDA provider. Default 0. */
    @WithDefault("0")
    int cudaDeviceId();

    /**
     * Threads one inference may use on the CPU. Default: the cores the JVM sees. Inference runs on
     * a single worker thread, so this is the whole CPU budget; a larger value only oversubscribes
     * the cores and inflates tail latency.
     */
    OptionalInt intraOpThreads();

    /**
     * Consecutive failed model batches after which liveness turns DOWN and Kubernetes restarts the
     * pod. Default 5: one bad batch is a request's problem, five in a row with no success between
     * them is a wedged engine.
     */
    @WithDefault("5")
    int maxConsecutiveFailures();
  }

  /** Limits on what one request may carry. */
  interface Input {
    /**
     * Longest address accepted, in characters (code points). Default 256: real addresses are well
     * under 100; longer text is almost always a mistake and only costs tokens.
     */
    @WithDefault("256")
    int maxChars();

    /**
     * Most pairs in one batch request. Default 64. Larger batches are refused with 413 so one
     * caller cannot hold the model for long.
     */
    @WithDefault("64")
    int maxBatchPairs();

    /**
     * Largest request body, in bytes. Default 65536, ample for 64 pairs of 256 characters. Bodies
     * that announce more are refused with 413 before they are read.
     */
    @WithDefault("65536")
    long maxBodyBytes();
  }

  /** How concurrent requests are gathered into model batches. */
  interface Batch {
    /**
     * Most pairs in one model batch. Default 32. Larger batches raise throughput until the hardware
     * is saturated, then only add latency.
     */
    @WithDefault("32")
    int maxSize();

    /**
     * How long the oldest waiting pair may wait for company before its batch runs. Default 2ms.
     * Longer waits form fuller batches at low load, at the cost of that much latency.
     */
    @WithDefault("2ms")
    Duration maxDelay();

    /**
     * Most pairs queued or being scored at once. Default 1024. Beyond it new work is refused at
     * once with 503 and {@code Retry-After} instead of queueing without bound.
     */
    @WithDefault("1024")
    int maxQueuedPairs();

    /**
     * Most padded tokens in one model batch: rows times the longest row. Default 8192, which lets a
     * full batch of 32 pairs through at typical address lengths and splits batches of unusually
     * long input so one long address does not pad thirty others.
     */
    @WithDefault("8192")
    int tokenBudget();

    /**
     * How long a request may wait for its answer, queue and inference included. Default 5s. A
     * request past it is answered 504 and its pairs are dropped, never scored late.
     */
    @WithDefault("5s")
    Duration requestTimeout();
  }

  /** The embedding cache (embedding models only). */
  interface Cache {
    /** Whether address embeddings are kept for reuse. Default true. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Most embeddings kept. Default 20000: about 40 MB for 512-dimensional vectors. Larger caches
     * hit more often on long-tail traffic at the cost of heap.
     */
    @WithDefault("20000")
    long maxEntries();
  }

  /** CloudEvent types. Requests are routed by type; replies carry their own type. */
  interface Events {
    /** Type of events asking for one comparison. */
    @WithDefault("dev.addressmatch.compare.request")
    String compareType();

    /** Type of events asking for a batch of comparisons. */
    @WithDefault("dev.addressmatch.compare-batch.request")
    String compareBatchType();

    /**
     * How long the answer to an event is kept to answer its redeliveries (same source and id)
     * without scoring again. Default 10m, longer than a broker's retry schedule.
     */
    @WithDefault("10m")
    Duration duplicateWindow();

    /** Most remembered answers. Default 10000; the oldest go first. */
    @WithDefault("10000")
    long duplicateMaxEntries();
  }
}
