package org.hri.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.hri.pipeline.HriPipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/: the job image and the Flink Kubernetes Operator's FlinkDeployment, checked without Docker or a
 * cluster. Each stream's overlay is rendered as kustomize does it for this custom resource (the patch's maps
 * merged into the base, its lists replacing the base's, the name suffixed), then: it is valid against the
 * operator's own FlinkDeployment schema (its CRD, from flink-kubernetes-operator-api); its job arguments build
 * the job with the job's own options parser and checks, and hold secrets only as files of the mounted Secret;
 * the jar, entry class and Flink version agree with the Dockerfile and the build.
 */
class DeploymentManifestTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
  private static final Set<String> SECRET_OPTIONS = Set.of("password", "clientSecret");

  @TempDir Path secrets;

  @Test
  void everyStreamRendersToAFlinkDeploymentTheOperatorsSchemaAccepts() throws IOException {
    JsonNode schema = flinkDeploymentSchema();
    for (Map.Entry<String, JsonNode> stream : renderedStreams().entrySet()) {
      // The API server checks apiVersion, kind and metadata itself; the CRD's schema is for the rest.
      ObjectNode resource = (ObjectNode) stream.getValue().deepCopy();
      assertThat(resource.remove("apiVersion").asText(), is("flink.apache.org/v1beta1"));
      assertThat(resource.remove("kind").asText(), is("FlinkDeployment"));
      // Flink on Kubernetes takes the name as its cluster id: at most 45 characters.
      assertThat(resource.remove("metadata").path("name").asText(), matchesPattern("[a-z0-9-]{1,45}"));
      List<String> problems = new ArrayList<>();
      validate(schema, resource, "", problems);
      assertThat(stream.getKey() + ": " + problems, problems, is(empty()));
    }
    // The check itself: it finds a misspelt field, a wrong type and a value outside an enum.
    ObjectNode broken = (ObjectNode) renderedStreams().values().iterator().next().deepCopy();
    broken.remove(List.of("apiVersion", "kind", "metadata"));
    ((ObjectNode) broken.path("spec").path("job")).put("upgradMode", "savepoint").put("parallelism", "two");
    ((ObjectNode) broken.path("spec")).put("flinkVersion", "v1_99");
    List<String> problems = new ArrayList<>();
    validate(schema, broken, "", problems);
    assertThat(problems, is(List.of(".spec.flinkVersion: v1_99 not in the enum",
        ".spec.job.parallelism: not an integer", ".spec.job.upgradMode: unknown field")));
  }

  @Test
  void eachStreamIsAnApplicationWithSavepointUpgradesDurableStateHaAndMetrics() throws IOException {
    Set<String> storage = new HashSet<>();
    for (Map.Entry<String, JsonNode> stream : renderedStreams().entrySet()) {
      JsonNode spec = stream.getValue().path("spec");
      JsonNode config = spec.path("flinkConfiguration");
      assertThat(stream.getValue().path("metadata").path("name").asText(), is("hri-validation-" + stream.getKey()));
      assertThat(spec.path("job").path("upgradeMode").asText(), is("savepoint"));
      assertThat(spec.path("job").path("state").asText(), is("running"));
      assertThat(config.path("high-availability.type").asText(), is("kubernetes"));
      assertThat(config.path("metrics.reporter.prom.factory.class").asText(),
          is("org.apache.flink.metrics.prometheus.PrometheusReporterFactory"));
      for (String key : List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")) {
        String dir = config.path(key).asText();
        assertThat(key, dir, startsWith("s3://"));
        assertThat(key + " names its stream", dir.contains("/" + stream.getKey() + "/"), is(true));
        assertThat(key + " is the stream's own", storage.add(dir), is(true));
      }
      for (String pod : List.of("jobManager", "taskManager")) {
        assertThat(pod + " cpu", spec.path(pod).path("resource").path("cpu").isNumber(), is(true));
        assertThat(pod + " memory", spec.path(pod).path("resource").path("memory").asText(), not(""));
      }
    }
  }

  @Test
  void theJobArgumentsBuildTheJobWithSecretsOnlyAsFilesOfTheMountedSecret() throws IOException {
    for (Map.Entry<String, JsonNode> stream : renderedStreams().entrySet()) {
      JsonNode spec = stream.getValue().path("spec");
      String mountPath = null;
      for (JsonNode mount : spec.path("podTemplate").path("spec").path("containers").get(0).path("volumeMounts")) {
        if (mount.path("name").asText().equals("hri-secrets")) {
          mountPath = mount.path("mountPath").asText();
        }
      }
      Set<String> secretFiles = new HashSet<>();
      for (JsonNode volume : spec.path("podTemplate").path("spec").path("volumes")) {
        if (volume.path("name").asText().equals("hri-secrets")) {
          volume.path("secret").path("items").forEach(item -> secretFiles.add(item.path("path").asText()));
        }
      }
      List<String> args = new ArrayList<>();
      for (JsonNode arg : spec.path("job").path("args")) {
        Matcher option = Pattern.compile("--(\\w+)=(.*)").matcher(arg.asText());
        assertThat(stream.getKey() + ": " + arg, option.matches(), is(true));
        String value = option.group(2);
        if (SECRET_OPTIONS.contains(option.group(1))) {
          // A reference to a file of the Secret's volume, never the secret itself.
          assertThat(arg.asText(), value, startsWith("file:" + mountPath + "/"));
          assertThat(arg.asText(), secretFiles, hasItem(value.substring(("file:" + mountPath + "/").length())));
          // Here the file is a stand-in in a temporary directory: the job's checks read it.
          Path standIn = secrets.resolve(value.substring(value.lastIndexOf('/') + 1));
          Files.writeString(standIn, "stand-in\n");
          value = "file:" + standIn;
        }
        assertThat(arg.asText(), value.toLowerCase().contains("password="), is(false));
        args.add("--" + option.group(1) + "=" + value);
      }
      assertThat(args.stream().map(a -> a.split("=", 2)[0]).toList(), hasItem("--clientSecret"));
      // The job's own parser and checks (HriOptionsCheck), as the JobManager will run them.
      HriPipelineOptions options =
          FlinkJob.build(args.toArray(String[]::new)).getOptions().as(HriPipelineOptions.class);
      assertThat(options.isStandalone(), is(false));
      assertThat("a stream per *.in topic", options.getInput(),
          is("ingest." + stream.getKey().replace('-', '.') + ".in"));
      assertThat("parallelism: the cluster's, from the manifest",
          options.as(FlinkPipelineOptions.class).getFlinkMaster(), is("[auto]"));
    }
  }

  @Test
  void imageJarEntryClassAndFlinkVersionAgreeWithTheBuild() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM flink:(\\d+\\.\\d+)(?:\\.\\d+)?-java17$").matcher(dockerfile);
    assertThat("FROM flink:<major.minor>-java17 (the job is Java 17 bytecode)", from.find(), is(true));
    String runnerFlink = EnvironmentInformation.getVersion(); // the Flink the job's Beam runner was built for
    assertThat(runnerFlink, startsWith(from.group(1) + "."));

    String jar = System.getProperty("hri.jobJar");
    Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) (\\S+)$").matcher(dockerfile);
    assertThat(copy.find(), is(true));
    assertThat(copy.group(1), is("runners/flink/target/" + jar));
    assertThat(copy.group(2), is("/opt/flink/usrlib/" + jar));
    assertThat("the image keeps Flink's entry point, which the operator calls",
        Pattern.compile("(?m)^(ENTRYPOINT|CMD)\\b").matcher(dockerfile).find(), is(false));
    assertThat(Files.readString(DEPLOY.resolve("Dockerfile.dockerignore")), containsString(
        "!runners/flink/target/" + jar));

    for (Map.Entry<String, JsonNode> stream : renderedStreams().entrySet()) {
      JsonNode spec = stream.getValue().path("spec");
      assertThat(spec.path("job").path("jarURI").asText(), is("local://" + copy.group(2)));
      assertThat(spec.path("job").path("entryClass").asText(), is(System.getProperty("hri.jobMainClass")));
      assertThat(spec.path("job").path("entryClass").asText(), is(FlinkJob.class.getName()));
      assertThat(spec.path("flinkVersion").asText(), is("v" + from.group(1).replace('.', '_')));
    }
  }

  /** Each folder of deploy/streams/, rendered: stream name (the name suffix without its dash) to manifest. */
  private static Map<String, JsonNode> renderedStreams() throws IOException {
    Map<String, JsonNode> streams = new java.util.TreeMap<>();
    try (Stream<Path> folders = Files.list(DEPLOY.resolve("streams"))) {
      for (Path folder : folders.sorted().toList()) {
        JsonNode kustomization = YAML.readTree(folder.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("resources").get(0).asText(), is("../../base"));
        JsonNode base = YAML.readTree(DEPLOY.resolve("base/flinkdeployment.yaml").toFile());
        assertThat(YAML.readTree(DEPLOY.resolve("base/kustomization.yaml").toFile()).path("resources").get(0).asText(),
            is("flinkdeployment.yaml"));
        ObjectNode rendered = (ObjectNode) base.deepCopy();
        for (JsonNode patch : kustomization.path("patches")) {
          JsonNode overlay = YAML.readTree(folder.resolve(patch.path("path").asText()).toFile());
          assertThat(overlay.path("kind").asText() + "/" + overlay.path("metadata").path("name").asText(),
              is(base.path("kind").asText() + "/" + base.path("metadata").path("name").asText()));
          merge(rendered, overlay);
        }
        String suffix = kustomization.path("nameSuffix").asText();
        assertThat(folder + ": nameSuffix is -<folder>", suffix, is("-" + folder.getFileName()));
        ((ObjectNode) rendered.path("metadata")).put("name", base.path("metadata").path("name").asText() + suffix);
        streams.put(folder.getFileName().toString(), rendered);
      }
    }
    assertThat(streams.keySet(), not(empty()));
    return streams;
  }

  /** What kustomize does with a patch of a custom resource: maps merged key by key, anything else replaced. */
  private static void merge(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = target.get(field.getKey());
      if (existing instanceof ObjectNode object && field.getValue().isObject()) {
        merge(object, field.getValue());
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  /** The v1beta1 FlinkDeployment schema of the operator's CRD. */
  private static JsonNode flinkDeploymentSchema() throws IOException {
    try (InputStream crd = DeploymentManifestTest.class.getClassLoader().getResourceAsStream(CRD)) {
      assertThat(CRD + " on the test class path (flink-kubernetes-operator-api)", crd != null, is(true));
      for (JsonNode version : YAML.readTree(crd).path("spec").path("versions")) {
        if (version.path("name").asText().equals("v1beta1")) {
          return version.path("schema").path("openAPIV3Schema");
        }
      }
    }
    throw new AssertionError("no v1beta1 in " + CRD);
  }

  /**
   * Validates as the API server does with a strict field check: types, enums, required fields, and no field that
   * the schema does not know (unless it preserves unknown fields or gives additionalProperties).
   */
  private static void validate(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        problems.add(path + ": not an integer or a string");
      }
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.path("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        problems.add(path + ": " + value.asText() + " not in the enum");
      }
    }
    switch (schema.path("type").asText("")) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(path + ": not an object");
          return;
        }
        for (JsonNode required : schema.path("required")) {
          if (!value.has(required.asText())) {
            problems.add(path + "." + required.asText() + ": required");
          }
        }
        JsonNode additional = schema.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          String at = path + "." + field.getKey();
          if (schema.path("properties").has(field.getKey())) {
            validate(schema.path("properties").path(field.getKey()), field.getValue(), at, problems);
          } else if (additional.isObject()) {
            validate(additional, field.getValue(), at, problems);
          } else if (!additional.asBoolean(false) && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
              && schema.has("properties")) {
            problems.add(at + ": unknown field");
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          problems.add(path + ": not a list");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          validate(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
        }
      }
      case "string", "integer", "number", "boolean" -> {
        String type = schema.path("type").asText();
        boolean matches = switch (type) {
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          default -> value.isBoolean();
        };
        if (!matches) {
          problems.add(path + ": not " + (type.equals("integer") ? "an " : "a ") + type);
        }
      }
      default -> { } // no type: anything
    }
  }
}
