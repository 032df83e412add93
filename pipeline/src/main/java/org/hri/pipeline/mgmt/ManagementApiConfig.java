package org.hri.pipeline.mgmt;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom the pipeline calls the HRI Management API: the API base URL (which includes
 * {@code /hri}), the OAuth base URL (tokens come from {@code <oauthUrl>/token}), the client credentials, the
 * token audience, and the tenant whose batches are updated. Immutable; build with {@link #builder()}.
 */
public final class ManagementApiConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final String oauthUrl;
  private final String clientId;
  private final String clientSecret;
  private final String audience;
  private final String tenantId;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private ManagementApiConfig(Builder builder) {
    this.baseUrl = withoutTrailingSlashes(required(builder.baseUrl, "baseUrl"));
    this.oauthUrl = withoutTrailingSlashes(required(builder.oauthUrl, "oauthUrl"));
    this.clientId = required(builder.clientId, "clientId");
    this.clientSecret = required(builder.clientSecret, "clientSecret");
    this.audience = required(builder.audience, "audience");
    this.tenantId = required(builder.tenantId, "tenantId");
    this.connectTimeout = positive(builder.connectTimeout, "connectTimeout");
    this.readTimeout = positive(builder.readTimeout, "readTimeout");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .baseUrl(baseUrl)
        .oauthUrl(oauthUrl)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .audience(audience)
        .tenantId(tenantId)
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout);
  }

  /** The API base URL without trailing slash, e.g. {@code https://hri-mgmt-api/hri}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The OAuth base URL without trailing slash. */
  public String oauthUrl() {
    return oauthUrl;
  }

  /** {@code <oauthUrl>/token}. */
  public String tokenUrl() {
    return oauthUrl + "/token";
  }

  public String clientId() {
    return clientId;
  }

  public String clientSecret() {
    return clientSecret;
  }

  public String audience() {
    return audience;
  }

  public String tenantId() {
    return tenantId;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ManagementApiConfig other)) {
      return false;
    }
    return baseUrl.equals(other.baseUrl)
        && oauthUrl.equals(other.oauthUrl)
        && clientId.equals(other.clientId)
        && clientSecret.equals(other.clientSecret)
        && audience.equals(other.audience)
        && tenantId.equals(other.tenantId)
        && connectTimeout.equals(other.connectTimeout)
        && readTimeout.equals(other.readTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseUrl, oauthUrl, clientId, clientSecret, audience, tenantId, connectTimeout, readTimeout);
  }

  /** Everything but the client secret. */
  @Override
  public String toString() {
    return "ManagementApiConfig{baseUrl=" + baseUrl + ", oauthUrl=" + oauthUrl + ", clientId=" + clientId
        + ", clientSecret=***, audience=" + audience + ", tenantId=" + tenantId + ", connectTimeout="
        + connectTimeout + ", readTimeout=" + readTimeout + "}";
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  private static String withoutTrailingSlashes(String url) {
    String result = url;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  /** Builds a {@link ManagementApiConfig}; all string values are required, timeouts have defaults. */
  public static final class Builder {
    private String baseUrl;
    private String oauthUrl;
    private String clientId;
    private String clientSecret;
    private String audience;
    private String tenantId;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;

    private Builder() {}

    /** The API base URL including {@code /hri}; a trailing slash is tolerated. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** The OAuth base URL; {@code /token} is appended. */
    public Builder oauthUrl(String oauthUrl) {
      this.oauthUrl = oauthUrl;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder clientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /** Fails with IllegalArgumentException when a value is missing or blank, or a timeout is not positive. */
    public ManagementApiConfig build() {
      return new ManagementApiConfig(this);
    }
  }
}
