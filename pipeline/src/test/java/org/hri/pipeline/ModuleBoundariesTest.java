package org.hri.pipeline;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The library runs on any Beam runner, so it must not know one. */
@AnalyzeClasses(packages = "org.hri.pipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {
  @ArchTest
  static final ArchRule pipelineKnowsNoRunner =
      noClasses()
          .that()
          .resideInAPackage("org.hri.pipeline..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.beam.runners..", "org.apache.flink..", "com.google.cloud.dataflow..");
}
