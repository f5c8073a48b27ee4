package io.spendstream.sink.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DdlRendererTest {
  private static final SchemaConfig SINGLE = SchemaConfig.singleNode("spendstream");
  private static final SchemaConfig CLUSTER = new SchemaConfig("spendstream", 90, "prod");

  private static List<String> all(SchemaConfig c) {
    return Migrations.all().stream().flatMap(m -> m.statements(c).stream()).toList();
  }

  @Test
  void singleNodeUsesPlainEnginesAndTheDeduplicationWindow() {
    List<String> s = all(SINGLE);
    String calls = s.stream().filter(x -> x.startsWith("CREATE TABLE IF NOT EXISTS spendstream.llm_calls\n")).findFirst()
        .orElseThrow();
    assertThat(calls).contains("ENGINE = MergeTree()", "PARTITION BY toDate(ts)", "INTERVAL 400 DAY",
        "SETTINGS non_replicated_deduplication_window = 10000").doesNotContain("ON CLUSTER", "${", "Replicated", "--");
    assertThat(s).anySatisfy(x -> assertThat(x).startsWith("CREATE VIEW IF NOT EXISTS spendstream.cost_windows AS")
        .contains("FROM spendstream.cost_windows_shards FINAL"));
    assertThat(s).anySatisfy(x -> assertThat(x).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS spendstream.llm_calls_hourly_mv")
        .contains("TO spendstream.llm_calls_hourly AS", "FROM spendstream.llm_calls\n"));
    assertThat(s).noneMatch(x -> x.contains("Distributed"));
  }

  @Test
  void clusterModeRendersOnClusterReplicatedLocalTablesAndDistributedOnes() {
    List<String> s = all(CLUSTER);
    assertThat(s).allSatisfy(x -> assertThat(x).contains("ON CLUSTER 'prod'").doesNotContain("${"));
    String calls = s.stream().filter(x -> x.startsWith("CREATE TABLE IF NOT EXISTS spendstream.llm_calls_local ")).findFirst()
        .orElseThrow();
    assertThat(calls).contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/spendstream/llm_calls_local', '{replica}')",
        "SETTINGS replicated_deduplication_window = 10000", "INTERVAL 90 DAY");
    assertThat(s).contains("CREATE TABLE IF NOT EXISTS spendstream.llm_calls ON CLUSTER 'prod' AS spendstream.llm_calls_local"
        + " ENGINE = Distributed('prod', 'spendstream', 'llm_calls_local', cityHash64(tenant_id))");
    assertThat(s).anySatisfy(x -> assertThat(x).contains(
        "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/spendstream/cost_windows_shards_local', '{replica}', version)"));
    assertThat(s).anySatisfy(x -> assertThat(x).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS spendstream.llm_calls_hourly_mv_local")
        .contains("TO spendstream.llm_calls_hourly_local AS", "FROM spendstream.llm_calls_local\n"));
    // the Distributed table follows its local table, so it can copy its columns
    int local = indexOf(s, "spendstream.alerts_local ");
    int dist = indexOf(s, "spendstream.alerts ON CLUSTER");
    assertThat(local).isNotNegative().isLessThan(dist);
  }

  private static int indexOf(List<String> s, String part) {
    for (int i = 0; i < s.size(); i++) {
      if (s.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void unknownPlaceholdersAndUnterminatedStatementsAreErrors() {
    assertThatThrownBy(() -> DdlRenderer.render("CREATE TABLE ${local:t} (a UInt8) ENGINE = ${engin:MergeTree()};", SINGLE))
        .hasMessageContaining("unknown placeholder ${engin:MergeTree()}");
    assertThatThrownBy(() -> DdlRenderer.render("SELECT 1", SINGLE)).hasMessageContaining("ends without ';'");
    assertThatThrownBy(() -> new SchemaConfig("bad-name", 0, "c l")).hasMessageContaining("database")
        .hasMessageContaining("ttl_days").hasMessageContaining("cluster");
  }

  @Test
  void everyMigrationFileIsListedInOrder() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/io/spendstream/sink/migrations"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(Migrations.FILES);
    }
    assertThat(Migrations.all()).extracting(Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }
}
