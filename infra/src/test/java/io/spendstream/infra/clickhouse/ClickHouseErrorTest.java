package io.spendstream.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClickHouseErrorTest {
  @Test
  void engineTextKeepsItsCodeAndMapsToClickHousesHttpStatus() {
    ClickHouseError e = ClickHouseError.fromEngine("Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)");
    assertThat(e.code()).isEqualTo(60);
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.message()).startsWith("Code: 60. DB::Exception:");
  }

  @Test
  void statusesFollowTheCodeFamilies() {
    assertThat(ClickHouseError.of(62, "SYNTAX_ERROR", "x").httpStatus()).isEqualTo(400);
    assertThat(ClickHouseError.of(164, "READONLY", "x").httpStatus()).isEqualTo(403);
    assertThat(ClickHouseError.of(516, "AUTHENTICATION_FAILED", "x").httpStatus()).isEqualTo(401);
    assertThat(ClickHouseError.of(48, "NOT_IMPLEMENTED", "x").httpStatus()).isEqualTo(501);
    assertThat(ClickHouseError.of(241, "MEMORY_LIMIT_EXCEEDED", "x").httpStatus()).isEqualTo(500);
  }

  @Test
  void textWithoutACodeBecomesAnInternalError() {
    ClickHouseError e = ClickHouseError.fromEngine("something broke");
    assertThat(e.code()).isEqualTo(1000);
    assertThat(e.message()).isEqualTo("Code: 1000. DB::Exception: something broke");
  }

  @Test
  void queryStringDecodingKeepsTheLastValue() {
    assertThat(ClickHouseHttpHandler.parseQuery("query=SELECT%201&database=a&database=b&x"))
        .containsEntry("query", "SELECT 1").containsEntry("database", "b").containsEntry("x", "");
  }
}
