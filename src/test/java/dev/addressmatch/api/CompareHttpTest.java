package dev.addressmatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plain-HTTP face of the functions, on the embedded default model. */
@QuarkusTest
class CompareHttpTest {

  @BeforeEach
  void awaitModel() {
    ServiceReady.await();
  }

  static Map<String, String> pair(String a, String b) {
    return Map.of("address1", a, "address2", b);
  }

  @Test
  void identicalAddressesAreAnExactMatch() {
    given()
        .contentType(ContentType.JSON)
        .body(pair("浙江省杭州市余杭区文一西路969号", "浙江省杭州市余杭区文一西路969号"))
        .when()
        .post("/compare")
        .then()
        .statusCode(200)
        .body("match_level", equalTo("exact_match"))
        .body("score", greaterThanOrEqualTo(0.9999f))
        .body("model.name", equalTo("bge-small-zh-v1.5-q"))
        .body("model.version", notNullValue());
  }

  @Test
  void spacingAndFullWidthDigitsDoNotChangeTheAnswer() {
    given()
        .contentType(ContentType.JSON)
        .body(pair("北京市朝阳区建国路88号", "北京市 朝阳区　建国路８８号"))
        .when()
        .post("/compare")
        .then()
        .statusCode(200)
        .body("match_level", equalTo("exact_match"));
  }

  @Test
  void addressesInDifferentCitiesDoNotMatch() {
    given()
        .contentType(ContentType.JSON)
        .body(pair("北京市朝阳区建国路88号", "广东省广州市天河区天河路385号太古汇"))
        .when()
        .post("/compare")
        .then()
        .statusCode(200)
        .body("match_level", equalTo("not_match"));
  }

  @Test
  void batchAnswersEveryPairInRequestOrder() {
    List<Map<String, String>> pairs =
        List.of(
            pair("北京市朝阳区建国路88号", "广东省广州市天河区天河路385号太古汇"),
            pair("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
            pair("四川省成都市武侯区人民南路四段27号", "浙江省杭州市西湖区文三路90号"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("pairs", pairs))
        .when()
        .post("/compare-batch")
        .then()
        .statusCode(200)
        .body("results", hasSize(3))
        .body("results[0].match_level", equalTo("not_match"))
        .body("results[1].match_level", equalTo("exact_match"))
        .body("results[2].match_level", equalTo("not_match"))
        .body("model.name", equalTo("bge-small-zh-v1.5-q"));
  }

  @Test
  void modelDescriptionNamesModelAndProvider() {
    given()
        .when()
        .get("/model")
        .then()
        .statusCode(200)
        .body("state", equalTo("ready"))
        .body("model.kind", equalTo("embedding"))
        .body("model.thresholds.exact_match", notNullValue())
        .body("execution_provider", equalTo("cpu"))
        .body("runtime.onnxruntime", notNullValue());
  }
}
