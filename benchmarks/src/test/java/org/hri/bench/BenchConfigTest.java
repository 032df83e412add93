package org.hri.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which baselines a run has, and the one-line errors when they cannot run. */
class BenchConfigTest {
  @Test
  void byDefaultBothBaselinesRunTheHandWrittenFlinkJobOnSmallRecords() {
    BenchConfig config = BenchConfig.parse("--runners=", "--flinkCopyJar=copy.jar");
    assertThat(config.baselines(), is(List.of("kafka/small", "kafka/fhir", "flink-copy/small")));
    assertThat(config.flinkCopyJar(), is(Path.of("copy.jar")));
  }

  @Test
  void baselinesCanBeChosenOrLeftOut() {
    assertThat(BenchConfig.parse("--runners=", "--baselines=kafka/small").baselines(), is(List.of("kafka/small")));
    assertThat(BenchConfig.parse("--runners=", "--baselines=").baselines(), is(List.of()));
  }

  @Test
  void aBaselineThatCannotRunIsOneLineNamingIt() {
    IllegalArgumentException jar = assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse("--runners=", "--baselines=kafka/small,flink-copy/small"));
    assertThat(jar.getMessage(), is("--flinkCopyJar: required for the flink-copy baseline"));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse("--runners=", "--baselines=spark/small"));
    assertThat(unknown.getMessage(), is(
        "--baselines: unknown baseline spark/small (kafka/small, kafka/fhir, flink-copy/small, flink-copy/fhir)"));
    IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse("--runners=", "--baselines=kafka/huge"));
    assertThat(data.getMessage(), is(
        "--baselines: unknown baseline kafka/huge (kafka/small, kafka/fhir, flink-copy/small, flink-copy/fhir)"));
  }
}
