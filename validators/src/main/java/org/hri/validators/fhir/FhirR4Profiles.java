package org.hri.validators.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

/**
 * The JVM's HAPI FHIR R4 instance validators, one per list of {@code --fhirProfiles}. Building one loads the base
 * R4 definitions and takes seconds, and a built {@link FhirValidator} is thread-safe, so every worker thread of the
 * JVM shares it; it is built on first use.
 *
 * <p>No terminology server is used (workers have no network). Codes are checked locally: the code systems and value
 * sets of the base specification (expanded in memory), the common ones HAPI knows (UCUM, BCP-47 languages, MIME
 * types, ISO countries and currencies, USPS states) and those given with {@code --fhirProfiles}. A code of a system
 * none of them knows (SNOMED CT, LOINC, RxNorm, ...) cannot be checked: {@link UnknownCodeSystemWarningValidationSupport}
 * makes that a warning, which does not fail a record, instead of an error on nearly every clinical record.
 * {@code setNoTerminologyChecks} would be too blunt: it would also accept bad codes of the local value sets, the
 * required bindings we want enforced.
 */
public final class FhirR4Profiles {
  private static final Map<List<String>, FhirValidator> VALIDATORS = new ConcurrentHashMap<>();
  private static final String WARM_UP = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{"
      + "\"fullUrl\":\"urn:uuid:6b0f4a3e-2d0c-4b43-9d36-2f1a8c1e0d11\",\"resource\":{\"resourceType\":\"Patient\","
      + "\"gender\":\"unknown\",\"birthDate\":\"2000-01-01\"}}]}";

  private FhirR4Profiles() {}

  /** The validator with the base R4 profiles plus the conformance resources at {@code profileLocations}. */
  public static FhirValidator validator(List<String> profileLocations) {
    return VALIDATORS.computeIfAbsent(List.copyOf(profileLocations), FhirR4Profiles::build);
  }

  private static FhirValidator build(List<String> profileLocations) {
    FhirContext context = FhirR4.context();
    PrePopulatedValidationSupport given = new PrePopulatedValidationSupport(context);
    FhirConformanceFiles.read(context, profileLocations).forEach(given::addResource);

    UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(context);
    unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

    ValidationSupportChain chain = new ValidationSupportChain(
        given, // first: a given resource wins over a base one with the same URL (e.g. a newer code system)
        new DefaultProfileValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new SnapshotGeneratingValidationSupport(context),
        unknownCodeSystems); // last: only systems none of the others knows

    FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
    instanceValidator.setAnyExtensionsAllowed(true); // extensions we have no definition of are not errors
    instanceValidator.setErrorForUnknownProfiles(false); // a meta.profile we have not loaded is a warning
    instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);

    FhirValidator validator = context.newValidator();
    validator.setValidateAgainstStandardSchema(false);
    validator.setValidateAgainstStandardSchematron(false);
    validator.registerValidatorModule(instanceValidator);
    validator.validateWithResult(WARM_UP); // loads and converts the base definitions now, not on the first record
    return validator;
  }
}
