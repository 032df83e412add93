package org.hri.pipeline.topics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** How the input topic is checked and the other topics derived. */
class TopicNamesTest {
  @Test
  void derivesTheTopicsOfABaseWithoutQualifier() {
    TopicNames topics = TopicNames.forInput("ingest.tenant1.da2.in");
    assertThat(topics.input(), is("ingest.tenant1.da2.in"));
    assertThat(topics.tenantId(), is("tenant1"));
    assertThat(topics.base(), is("ingest.tenant1.da2"));
    assertThat(topics.output(), is("ingest.tenant1.da2.out"));
    assertThat(topics.invalid(), is("ingest.tenant1.da2.invalid"));
    assertThat(topics.notification(), is("ingest.tenant1.da2.notification"));
  }

  @Test
  void derivesTheTopicsOfABaseWithQualifier() {
    TopicNames topics = TopicNames.forInput("ingest.24.data-int-1.claims.in");
    assertThat(topics.tenantId(), is("24"));
    assertThat(topics.base(), is("ingest.24.data-int-1.claims"));
    assertThat(topics.output(), is("ingest.24.data-int-1.claims.out"));
    assertThat(topics.invalid(), is("ingest.24.data-int-1.claims.invalid"));
    assertThat(topics.notification(), is("ingest.24.data-int-1.claims.notification"));
  }

  @Test
  void acceptsMoreThanOneQualifier() {
    TopicNames topics = TopicNames.forInput("ingest.t.di.a.b.in");
    assertThat(topics.tenantId(), is("t"));
    assertThat(topics.output(), is("ingest.t.di.a.b.out"));
    assertThat(topics.invalid(), is("ingest.t.di.a.b.invalid"));
    assertThat(topics.notification(), is("ingest.t.di.a.b.notification"));
  }

  @Test
  void tenantWithDashesAndUnderscores() {
    TopicNames topics = TopicNames.forInput("ingest.my_tenant-2.fhir.in");
    assertThat(topics.tenantId(), is("my_tenant-2"));
    assertThat(topics.output(), is("ingest.my_tenant-2.fhir.out"));
  }

  @Test
  void nameThatDoesNotStartWithIngestFails() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("porcupine-bonobo"));
    assertThat(e.getMessage(), startsWith("The Input Topic Name"));
    assertThat(e.getMessage(), containsString("porcupine-bonobo"));
    assertThat(e.getMessage(), containsString("It must start with \"ingest.\""));
    assertThat(
        e.getMessage(), is("The Input Topic Name porcupine-bonobo is invalid. It must start with \"ingest.\""));
  }

  @Test
  void prefixMustBeFollowedByADot() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingestion.t.d.in"));
    assertThat(e.getMessage(), is("The Input Topic Name ingestion.t.d.in is invalid. It must start with \"ingest.\""));
  }

  @Test
  void nullNameFails() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput(null));
    assertThat(e.getMessage(), is("The Input Topic Name null is invalid. It must start with \"ingest.\""));
  }

  @Test
  void nameThatDoesNotEndWithInFails() {
    TopicNamingException e =
        assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingest.porcupine-bonobo"));
    assertThat(
        e.getMessage(), is("The Input Topic Name ingest.porcupine-bonobo is invalid. It must end with \".in\""));
  }

  @Test
  void outputTopicAsInputFails() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingest.t.d.out"));
    assertThat(e.getMessage(), is("The Input Topic Name ingest.t.d.out is invalid. It must end with \".in\""));
  }

  @Test
  void suffixMustBeADotIn() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingest.t.d.login"));
    assertThat(e.getMessage(), containsString("It must end with \".in\""));
  }

  @Test
  void nameWithThreeElementsFails() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingest.tenant.in"));
    assertThat(e.getMessage(), containsString("It must have 4 elements separated by a '.'"));
    assertThat(
        e.getMessage(),
        is(
            "The Input Topic Name ingest.tenant.in is invalid. It must have 4 elements separated by a '.' but only"
                + " had 3. Expected pattern: 'ingest.<tenant-id>.<data-integrator-id>[.optional-qualifier].in'."));
  }

  @Test
  void nameWithTwoElementsFails() {
    TopicNamingException e = assertThrows(TopicNamingException.class, () -> TopicNames.forInput("ingest.in"));
    assertThat(e.getMessage(), containsString("but only had 2."));
  }

  @Test
  void namingExceptionIsAnIllegalArgument() {
    assertThat(new TopicNamingException("x"), instanceOf(IllegalArgumentException.class));
  }

  @Test
  void isSerializable() {
    TopicNames topics = TopicNames.forInput("ingest.24.data-int-1.claims.in");
    assertThat(SerializableUtils.clone(topics), is(topics));
  }
}
