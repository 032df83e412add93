package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class ManagementApiConfigTest {

  private static ManagementApiConfig.Builder valid() {
    return ManagementApiConfig.builder()
        .baseUrl("https://mgmt.example.com/hri/")
        .oauthUrl("https://auth.example.com/oauth/v4/abc//")
        .clientId("client")
        .clientSecret("s3cr3t-value")
        .audience("hri-app")
        .tenantId("tenant1");
  }

  @Test
  void trailingSlashesAreRemovedAndTokenUrlAppended() {
    ManagementApiConfig config = valid().build();
    assertThat(config.baseUrl(), is("https://mgmt.example.com/hri"));
    assertThat(config.oauthUrl(), is("https://auth.example.com/oauth/v4/abc"));
    assertThat(config.tokenUrl(), is("https://auth.example.com/oauth/v4/abc/token"));
    assertThat(config.clientId(), is("client"));
    assertThat(config.clientSecret(), is("s3cr3t-value"));
    assertThat(config.audience(), is("hri-app"));
    assertThat(config.tenantId(), is("tenant1"));
  }

  @Test
  void timeoutsDefaultToTenAndThirtySeconds() {
    ManagementApiConfig config = valid().build();
    assertThat(config.connectTimeout(), is(Duration.ofSeconds(10)));
    assertThat(config.readTimeout(), is(Duration.ofSeconds(30)));
    ManagementApiConfig custom =
        valid().connectTimeout(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(2)).build();
    assertThat(custom.connectTimeout(), is(Duration.ofSeconds(1)));
    assertThat(custom.readTimeout(), is(Duration.ofSeconds(2)));
  }

  @Test
  void toStringHidesTheSecret() {
    String text = valid().build().toString();
    assertThat(text, not(containsString("s3cr3t-value")));
    assertThat(text, containsString("clientId=client"));
    assertThat(text, containsString("tenantId=tenant1"));
  }

  @Test
  void everyValueIsRequired() {
    assertThrows(IllegalArgumentException.class, () -> valid().baseUrl(null).build());
    assertThrows(IllegalArgumentException.class, () -> valid().oauthUrl("").build());
    assertThrows(IllegalArgumentException.class, () -> valid().clientId(" ").build());
    assertThrows(IllegalArgumentException.class, () -> valid().clientSecret(null).build());
    assertThrows(IllegalArgumentException.class, () -> valid().audience(null).build());
    assertThrows(IllegalArgumentException.class, () -> valid().tenantId(null).build());
    assertThrows(IllegalArgumentException.class, () -> valid().readTimeout(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> valid().connectTimeout(null).build());
  }

  @Test
  void survivesJavaSerializationAndToBuilder() {
    ManagementApiConfig config = valid().readTimeout(Duration.ofSeconds(3)).build();
    assertThat(SerializableUtils.clone(config), equalTo(config));
    assertThat(config.toBuilder().build(), equalTo(config));
    assertThat(config.toBuilder().tenantId("other").build(), not(equalTo(config)));
  }
}
