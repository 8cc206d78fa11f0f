package dev.addressmatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.addressmatch.engine.EngineSettings;
import dev.addressmatch.engine.ExecutionProvider;
import dev.addressmatch.engine.OnnxEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pair scored alone and the same pair scored inside a padded batch of other pairs get the same
 * score, within {@value #TOLERANCE}; and a score served from the embedding cache equals the one
 * computed by the model.
 */
class BatchEquivalenceTest {

  /** Same computation, same inputs: only float rounding may differ. */
  static final double TOLERANCE = 1e-5;

  /** Batch-dependent int8 activation scales, measured and bounded. */
  static final double BATCH_TOLERANCE = 0.025;

  static OnnxEngine engine;
  static ModelFiles files;

  static final List<AddressPair> PAIRS =
      List.of(
          new AddressPair("北京市朝阳区建国路88号", "北京朝阳建国路88号SOHO现代城"),
          new AddressPair("杭州", "浙江省杭州市余杭区文一西路969号阿里巴巴西溪园区"),
          new AddressPair("四川省成都市武侯区人民南路四段27号商鼎国际1栋2单元1203室", "成都人民南路四段"),
          new AddressPair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
          new AddressPair("广州天河", "广东省广州市天河区天河路385号太古汇一座写字楼36层"));

  @BeforeAll
  static void open() {
    files = ModelFiles.embeddedDefault();
    engine = OnnxEngine.open(files, new EngineSettings(ExecutionProvider.CPU, 0, 1));
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void aPairScoresTheSameAloneAndInsideAPaddedBatch() throws Exception {
    PairModel model = PairModel.of(files, engine);
    List<PairScore> batched = model.score(PAIRS);
    for (int i = 0; i < PAIRS.size(); i++) {
      double alone = model.score(List.of(PAIRS.get(i))).get(0).similarity();
      assertEquals(alone, batched.get(i).similarity(), BATCH_TOLERANCE, PAIRS.get(i).toString());
    }
  }

  @Test
  void cachedEmbeddingsGiveTheModelsScore() throws Exception {
    PairModel uncached = PairModel.of(files, engine);
    PairModel cached = PairModel.of(files, engine, EmbeddingCache.bounded(100));
    List<PairScore> expected = uncached.score(PAIRS);
    cached.score(PAIRS);
    List<PreparedPair> again = new ArrayList<>();
    for (AddressPair pair : PAIRS) {
      again.add(cached.prepare(pair));
    }
    for (int i = 0; i < PAIRS.size(); i++) {
      assertEquals(0, again.get(i).rows(), "pair " + i + " should come from the cache");
      assertEquals(
          expected.get(i).similarity(),
          cached.scoreWithoutModel(again.get(i)).similarity(),
          TOLERANCE);
    }
  }

  @Test
  void aHalfCachedPairRunsOnlyTheMissingAddress() throws Exception {
    PairModel cached = PairModel.of(files, engine, EmbeddingCache.bounded(100));
    cached.score(List.of(new AddressPair("北京市朝阳区建国路88号", "北京市朝阳区建国路88号")));
    PreparedPair half = cached.prepare(new AddressPair("北京市朝阳区建国路88号", "北京朝阳"));
    assertEquals(1, half.rows());
    double expected =
        PairModel.of(files, engine)
            .score(List.of(new AddressPair("北京市朝阳区建国路88号", "北京朝阳")))
            .get(0)
            .similarity();
    // The missing address runs alone here but shared a batch with its partner above.
    assertEquals(expected, cached.scoreBatch(List.of(half)).get(0).similarity(), BATCH_TOLERANCE);
  }
}
