package io.spendstream.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InsertPlanTest {
  @Test
  void formatInsertBecomesFromInfileWithTheSameFormat() {
    InsertPlan p = InsertPlan.of("INSERT INTO db.t (a, b) FORMAT RowBinary");
    assertThat(p.withInfile("/tmp/x.bin")).isEqualTo("INSERT INTO db.t (a, b) FROM INFILE '/tmp/x.bin' COMPRESSION 'none' FORMAT RowBinary");
  }

  @Test
  void inlineDataAfterTheFormatNameIsFoundAtItsOffset() {
    String sql = "insert into t format CSV\n1,2\n\n3,4\n";
    InsertPlan p = InsertPlan.of(sql);
    assertThat(p.format()).isEqualTo("CSV");
    assertThat(sql.substring(p.inlineDataOffset())).isEqualTo("1,2\n\n3,4\n");
  }

  @Test
  void valuesAreDataInTheValuesFormatEvenWithBlankLinesAndSqlInside() {
    String sql = "INSERT INTO t VALUES (1, 'a'),\n\n(2, 'b;\n\nDROP TABLE t')";
    InsertPlan p = InsertPlan.of(sql);
    assertThat(p.format()).isEqualTo("Values");
    assertThat(sql.substring(p.inlineDataOffset())).isEqualTo(" (1, 'a'),\n\n(2, 'b;\n\nDROP TABLE t')");
    assertThat(p.withInfile("/f")).isEqualTo("INSERT INTO t FROM INFILE '/f' COMPRESSION 'none' FORMAT Values");
  }

  @Test
  void settingsMoveAfterTheInfileClause() {
    InsertPlan p = InsertPlan.of("INSERT INTO t SETTINGS async_insert=1, insert_deduplication_token='p0-1-9' FORMAT JSONEachRow");
    assertThat(p.withInfile("/f")).isEqualTo("INSERT INTO t FROM INFILE '/f' COMPRESSION 'none'"
        + " SETTINGS async_insert=1, insert_deduplication_token='p0-1-9' FORMAT JSONEachRow");
  }

  @Test
  void keywordsInsideLiteralsOrCommentsDoNotCount() {
    assertThat(InsertPlan.of("INSERT INTO `FORMAT` /* VALUES */ SELECT 'VALUES'")).isNull();
    assertThat(InsertPlan.of("INSERT INTO t SELECT * FROM s")).isNull();
    assertThat(InsertPlan.of("SELECT 'INSERT INTO t VALUES'")).isNull();
  }

  @Test
  void fileNamesAreQuotedSafely() {
    assertThat(InsertPlan.of("INSERT INTO t FORMAT CSV").withInfile("/tmp/it's.bin")).contains("'/tmp/it\\'s.bin'");
  }

  @Test
  void statementHelpersRespectQuotesAndComments() {
    assertThat(SqlText.hasMoreThanOneStatement("SELECT 1; SELECT 2")).isTrue();
    assertThat(SqlText.hasMoreThanOneStatement("SELECT ';' ; -- done\n")).isFalse();
    assertThat(SqlText.withoutTrailingSemicolon("SELECT 1;")).isEqualTo("SELECT 1");
    assertThat(SqlText.trailingFormat("SELECT 1 FORMAT JSONEachRow;")).isEqualTo("JSONEachRow");
    assertThat(SqlText.trailingFormat("SELECT 'FORMAT CSV'")).isNull();
    assertThat(SqlText.firstKeyword("  -- note\n/* x */ select 1")).isEqualTo("SELECT");
  }
}
