package org.hri.validators.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * Reads the conformance resources named by {@code --fhirProfiles}: StructureDefinition, ValueSet and CodeSystem
 * JSON files, directories of them ({@code *.json}, not recursive) and NPM packages ({@code .tgz}, the resources of
 * their {@code package/} folder; the packages they depend on are not loaded). A location that cannot be used throws
 * an {@link IllegalArgumentException} with a one-line message naming the location: these are configuration files,
 * never records, so naming them is safe.
 */
public final class FhirConformanceFiles {
  private static final Set<String> CONFORMANCE_TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

  private FhirConformanceFiles() {}

  /** The conformance resources at {@code locations}, in order. */
  public static List<IBaseResource> read(FhirContext context, List<String> locations) {
    List<IBaseResource> resources = new ArrayList<>();
    for (String location : locations) {
      Path path = Path.of(location.strip());
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("cannot read " + location.strip());
      }
      if (Files.isDirectory(path)) {
        List<Path> files = jsonFilesIn(path);
        if (files.isEmpty()) {
          throw new IllegalArgumentException("no *.json file in the directory " + path);
        }
        for (Path file : files) {
          resources.add(readJsonFile(context, file));
        }
      } else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tgz")) {
        resources.addAll(readPackage(context, path));
      } else {
        resources.add(readJsonFile(context, path));
      }
    }
    return resources;
  }

  private static List<Path> jsonFilesIn(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list the directory " + directory);
    }
  }

  private static IBaseResource readJsonFile(FhirContext context, Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    IBaseResource resource = parse(context.newJsonParser(), json, file.toString());
    if (!CONFORMANCE_TYPES.contains(context.getResourceType(resource))) {
      throw new IllegalArgumentException(
          file + " is a " + context.getResourceType(resource) + ", not a StructureDefinition, ValueSet or CodeSystem");
    }
    return resource;
  }

  /** The package's conformance resources; its other resources (examples, search parameters, ...) are skipped. */
  private static List<IBaseResource> readPackage(FhirContext context, Path file) {
    NpmPackage npm;
    try (InputStream in = Files.newInputStream(file)) {
      npm = NpmPackage.fromPackage(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + " is not an NPM package (.tgz)");
    }
    NpmPackage.NpmPackageFolder folder = npm.getFolders().get("package");
    if (folder == null) {
      throw new IllegalArgumentException(file + " is not an NPM package: it has no package/ folder");
    }
    IParser parser = context.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    List<IBaseResource> resources = new ArrayList<>();
    for (String name : folder.listFiles()) {
      if (!name.toLowerCase(Locale.ROOT).endsWith(".json") || name.equals("package.json") || name.startsWith(".")) {
        continue;
      }
      String json = new String(folder.getContent().get(name), StandardCharsets.UTF_8);
      if (CONFORMANCE_TYPES.stream().anyMatch(type -> json.contains("\"" + type + "\""))) {
        IBaseResource resource = parse(parser, json, file + "!package/" + name);
        if (CONFORMANCE_TYPES.contains(context.getResourceType(resource))) {
          resources.add(resource);
        }
      }
    }
    return resources;
  }

  private static IBaseResource parse(IParser parser, String json, String name) {
    try {
      return parser.parseResource(json);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(name + " is not a FHIR R4 resource in JSON");
    }
  }
}
