package org.hri.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shaded Dataflow job jar (what a Flex Template runs, one {@code --jar}), after {@code package}: its main
 * class and merged service files, and in a JVM with nothing else on the class path, the launcher's answer to a
 * bad option and a job that Dataflow's option validation accepts, staging that one jar. Nothing is submitted.
 */
class DataflowJobJarTest {
  private static final Path JAR = Path.of(System.getProperty("hri.jobJar", "target/missing-job.jar"));

  @BeforeEach
  void onlyAfterPackage() {
    // -Dtest=... also selects this class for the run before package, when the jar is not (newly) built.
    assumeTrue(Boolean.getBoolean("hri.afterPackage"), "runs in the shaded-jar execution, after package");
  }

  @Test
  void theJarNamesItsMainClassAndMergesBeamsServiceFiles() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"), is(DataflowJob.class.getName()));
      assertThat(service(jar, "org.apache.beam.sdk.runners.PipelineRunnerRegistrar"),
          containsString("org.apache.beam.runners.dataflow.DataflowPipelineRegistrar$Runner"));
      String options = service(jar, "org.apache.beam.sdk.options.PipelineOptionsRegistrar");
      assertThat(options, containsString("org.apache.beam.runners.dataflow.DataflowPipelineRegistrar$Options"));
      assertThat(options, containsString("org.apache.beam.sdk.extensions.gcp.options.GcpPipelineOptionsRegistrar"));
      assertThat(service(jar, "org.apache.beam.sdk.io.FileSystemRegistrar"),
          containsString("org.apache.beam.sdk.extensions.gcp.storage.GcsFileSystemRegistrar"));
      List<String> signatures = new ArrayList<>();
      jar.stream().map(e -> e.getName()).filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"))
          .forEach(signatures::add);
      assertThat("signature files of signed dependencies would make the merged jar invalid", signatures, is(empty()));
    }
  }

  @Test
  void onItsOwnTheLauncherStopsABadOptionWithOneLine() throws Exception {
    Result result = java(List.of("-jar", JAR.toString(), "--brokers=kafka-1:9093", "--standalone"));
    assertThat(result.output(), result.exit(), is(2));
    assertThat(result.output(), containsString("hri: Missing required option: --input"));
  }

  @Test
  void onItsOwnTheJarBuildsAJobDataflowAcceptsAndStagesOnlyItself() throws Exception {
    List<String> command = new ArrayList<>(List.of("-cp",
        JAR + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath(), StagedFiles.class.getName()));
    command.addAll(List.of(DataflowJobTest.ARGS));
    Result result = java(command);
    assertThat(result.output(), result.exit(), is(0));
    assertThat(result.output(), containsString("files to stage: [" + JAR.toAbsolutePath() + "]"));
  }

  /** Run in the child JVM: builds the job from the shaded jar's classes, as DataflowJobTest does, without running. */
  public static final class StagedFiles {
    public static void main(String[] args) {
      DataflowPipelineOptions options =
          DataflowJob.build(args).getOptions().as(DataflowPipelineOptions.class);
      DataflowRunner.fromOptions(options);
      List<String> staged = new ArrayList<>();
      for (String file : options.getFilesToStage()) {
        if (!file.contains("test-classes")) { // this class's own directory
          staged.add(Path.of(file).toAbsolutePath().toString());
        }
      }
      System.out.println("files to stage: " + staged);
    }
  }

  private static String service(JarFile jar, String name) throws IOException {
    var entry = jar.getEntry("META-INF/services/" + name);
    assertThat("META-INF/services/" + name, entry != null, is(true));
    return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
  }

  private record Result(int exit, String output) {}

  private static Result java(List<String> arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("the child JVM ended within 2 minutes", process.waitFor(2, TimeUnit.MINUTES), is(true));
    return new Result(process.exitValue(), output);
  }
}
