package org.hri.validators.fhir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FhirConformanceFilesTest {
  private static final Path PROFILE = Path.of("src", "test", "resources", "fhir-profiles", "patient-with-birth-date.json");
  private static final String VALUE_SET = """
      {"resourceType": "ValueSet", "url": "http://example.org/fhir/ValueSet/colours", "status": "active",
       "compose": {"include": [{"system": "http://example.org/fhir/CodeSystem/colours"}]}}""";

  @Test
  void aFileADirectoryAndAPackageAreRead(@TempDir Path dir) throws IOException {
    Path profiles = Files.createDirectory(dir.resolve("profiles"));
    Files.copy(PROFILE, profiles.resolve("a-profile.json"));
    Files.writeString(profiles.resolve("b-value-set.json"), VALUE_SET);
    Files.writeString(profiles.resolve("notes.txt"), "not read");
    Path npm = tgz(dir.resolve("example.fhir.test-1.0.0.tgz"), Map.of(
        "package/package.json", "{\"name\": \"example.fhir.test\", \"version\": \"1.0.0\", \"fhirVersions\": [\"4.0.1\"]}",
        "package/StructureDefinition-patient-with-birth-date.json", Files.readString(PROFILE),
        "package/Patient-example.json", "{\"resourceType\": \"Patient\", \"id\": \"example\"}"));

    List<IBaseResource> read = FhirConformanceFiles.read(FhirR4.context(), List.of(PROFILE.toString(), profiles + " ", npm.toString()));
    assertThat(read.stream().map(FhirConformanceFilesTest::typeAndUrl).toList(), contains(
        "StructureDefinition http://example.org/fhir/StructureDefinition/patient-with-birth-date",
        "StructureDefinition http://example.org/fhir/StructureDefinition/patient-with-birth-date",
        "ValueSet http://example.org/fhir/ValueSet/colours",
        "StructureDefinition http://example.org/fhir/StructureDefinition/patient-with-birth-date"));
  }

  @Test
  void aFileThatIsNoPackageIsRejected(@TempDir Path dir) throws IOException {
    Path notNpm = Files.writeString(dir.resolve("profiles.tgz"), "not a tar");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> FhirConformanceFiles.read(FhirR4.context(), List.of(notNpm.toString())));
    assertThat(error.getMessage(), is(notNpm + " is not an NPM package (.tgz)"));
  }

  private static String typeAndUrl(IBaseResource resource) {
    return FhirR4.context().getResourceType(resource) + " "
        + FhirR4.context().newTerser().getSinglePrimitiveValueOrNull(resource, "url");
  }

  private static Path tgz(Path file, Map<String, String> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (Map.Entry<String, String> entry : new java.util.TreeMap<>(entries).entrySet()) {
        byte[] bytes = entry.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
        tarEntry.setSize(bytes.length);
        tar.putArchiveEntry(tarEntry);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
