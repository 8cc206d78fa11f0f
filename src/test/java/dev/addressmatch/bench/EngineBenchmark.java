package dev.addressmatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.OnnxEngine;
import dev.addressmatch.model.AddressPair;
import dev.addressmatch.model.ModelFiles;
import dev.addressmatch.model.PairModel;
import dev.addressmatch.model.PairScore;
import dev.addressmatch.model.PreparedPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The raw engine ceiling: tokenized pairs from the benchmark corpus scored by ONNX Runtime in
 * batches of {@code batchSize}, with no HTTP, no queue and no cache, on the threads the service
 * would use. One operation is one batch; pairs per second is operations times the batch size.
 *
 * <p>The corpus is the file that {@code scripts/bench/make_corpus.py} writes, named by the system
 * property {@code bench.corpus}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

  @Param({"1", "8", "32"})
  public int batchSize;

  private OnnxEngine engine;
  private PairModel model;
  private List<List<PreparedPair>> batches;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    ModelFiles files = ModelFiles.embeddedDefault();
    int threads = Runtime.getRuntime().availableProcessors();
    engine = OnnxEngine.open(files, new EngineSettings(ExecutionProvider.CPU, 0, threads));
    model = PairModel.of(files, engine);
    List<AddressPair> pairs = corpus(Path.of(System.getProperty("bench.corpus")));
    batches = new ArrayList<>();
    for (int from = 0; from + batchSize <= pairs.size(); from += batchSize) {
      List<PreparedPair> batch = new ArrayList<>(batchSize);
      for (AddressPair pair : pairs.subList(from, from + batchSize)) {
        batch.add(model.prepare(pair));
      }
      batches.add(batch);
    }
  }

  /** Reads the pairs of a corpus of JSON lines {"address1": ..., "address2": ...}. */
  static List<AddressPair> corpus(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<AddressPair> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode node = json.readTree(line);
      pairs.add(new AddressPair(node.get("address1").asText(), node.get("address2").asText()));
    }
    return pairs;
  }

  @TearDown(Level.Trial)
  public void close() {
    engine.close();
  }

  @Benchmark
  public List<PairScore> scoreOneBatch() throws InferenceException {
    List<PreparedPair> batch = batches.get(next);
    next = (next + 1) % batches.size();
    return model.scoreBatch(batch);
  }
}
