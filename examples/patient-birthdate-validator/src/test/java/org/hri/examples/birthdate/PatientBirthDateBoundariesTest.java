package org.hri.examples.birthdate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The validator uses only the pipeline's validator-facing API — its model and validation packages — plus Beam's
 * options and its own libraries (here Jackson), so it keeps working however the job's machinery changes, on
 * every runner.
 */
@AnalyzeClasses(packages = "org.hri.examples.birthdate", importOptions = ImportOption.DoNotIncludeTests.class)
class PatientBirthDateBoundariesTest {
  @ArchTest
  static final ArchRule usesOnlyThePublicValidatorApi =
      classes()
          .that()
          .resideInAPackage("org.hri.examples.birthdate..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "org.hri.examples.birthdate..", "org.hri.pipeline.model..", "org.hri.pipeline.validation..",
              "org.apache.beam.sdk.options..", "java..", "",
              // the validator's own libraries
              "com.fasterxml.jackson..");

  @ArchTest
  static final ArchRule knowsNoRunner =
      noClasses()
          .that()
          .resideInAPackage("org.hri.examples.birthdate..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.beam.runners..", "org.apache.flink..");
}
