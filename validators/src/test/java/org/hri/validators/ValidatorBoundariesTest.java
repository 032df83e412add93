package org.hri.validators;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Validators use only the pipeline's validator-facing API — the model and the validation package — so they
 * keep working however the pipeline's machinery changes, and they know no runner. They may use libraries of their
 * own (HAPI FHIR, ...); the rule lists those too.
 */
@AnalyzeClasses(packages = "org.hri.validators", importOptions = ImportOption.DoNotIncludeTests.class)
class ValidatorBoundariesTest {
  @ArchTest
  static final ArchRule validatorsUseOnlyThePublicValidatorApi =
      classes()
          .that()
          .resideInAPackage("org.hri.validators..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "org.hri.validators..", "org.hri.pipeline.model..", "org.hri.pipeline.validation..",
              "org.apache.beam.sdk.options..", "java..", "com.fasterxml.jackson..", "org.slf4j..", "",
              // the libraries validators are built on
              "ca.uhn.fhir..", "org.hl7.fhir..", "com.networknt.schema..",
              // scripts/validate's command line (ValidateCommand)
              "org.hri.cli..", "picocli..");

  @ArchTest
  static final ArchRule validatorsKnowNoRunner =
      noClasses()
          .that()
          .resideInAPackage("org.hri.validators..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.beam.runners..", "org.apache.flink..");
}
