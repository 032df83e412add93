package org.hri.validators.fhir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FhirProfileCheckerTest {
  private static final Set<String> TYPES = FhirR4.context().getResourceTypes();

  @Test
  void hapiLocationsBecomeJsonPathsWithoutTheResourceComments() {
    assertThat(location("Bundle.entry[1].resource/*Encounter/953503c8-6061*/.participant[0].individual"),
        is("Bundle.entry[1].resource.participant[0].individual"));
    assertThat(location("Bundle.entry[0].resource/*Patient/x*/.extension[5].value.ofType(decimal)"),
        is("Bundle.entry[0].resource.extension[5].valueDecimal"));
    assertThat(location("Bundle.entry[0].resource.extension[0].extension[0].value.ofType(Coding)"),
        is("Bundle.entry[0].resource.extension[0].extension[0].valueCoding"));
    assertThat(location("Bundle.entry[2].resource.ofType(Observation).code"), is("Bundle.entry[2].resource.code"));
    assertThat(location("Bundle"), is("Bundle"));
    assertThat(location(null), is(""));
  }

  @Test
  void whatIsNotAnElementNameIsCutOff() {
    assertThat(location("Bundle.entry[0].resource.identifier:ssn.value"), is("Bundle.entry[0].resource"));
    assertThat(location("Bundle.entry[0].resource.extension('http://example.org/secret').value"),
        is("Bundle.entry[0].resource"));
    assertThat(location("Patient.name.where(family = 'Smith')"), is("Patient.name"));
  }

  private static String location(String hapiLocation) {
    return FhirProfileChecker.location(hapiLocation, TYPES);
  }
}
