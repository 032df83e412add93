package org.hri.pipeline.mgmt;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom to call the HRI Management API: the API base URL (which includes {@code /hri}), the OAuth
 * base URL (tokens come from {@code <oauthUrl>/token}), the client credentials, the token audience, the scopes
 * asked for (the job's by default; the tenant's is added), and the tenant whose batches are used. The four
 * OAuth values come all together or not at all (a local API without authorization). Immutable; build with
 * {@link #builder()}.
 */
public final class ManagementApiConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  /** What the validation job may do: read batches and report their verdicts. */
  public static final String JOB_SCOPES = "hri_internal hri_consumer";

  private final String baseUrl;
  private final String oauthUrl;
  private final String clientId;
  private final String clientSecret;
  private final String audience;
  private final String scopes;
  private final String tenantId;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private ManagementApiConfig(Builder builder) {
    this.baseUrl = withoutTrailingSlashes(required(builder.baseUrl, "baseUrl"));
    boolean oauth = builder.oauthUrl != null || builder.clientId != null || builder.clientSecret != null
        || builder.audience != null;
    this.oauthUrl = oauth ? withoutTrailingSlashes(required(builder.oauthUrl, "oauthUrl")) : null;
    this.clientId = oauth ? required(builder.clientId, "clientId") : null;
    this.clientSecret = oauth ? required(builder.clientSecret, "clientSecret") : null;
    this.audience = oauth ? required(builder.audience, "audience") : null;
    this.scopes = required(builder.scopes, "scopes");
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
        .scopes(scopes)
        .tenantId(tenantId)
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout);
  }

  /** The API base URL without trailing slash, e.g. {@code https://hri-mgmt-api/hri}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** False for a local API without authorization: calls then carry no token. */
  public boolean hasOAuth() {
    return oauthUrl != null;
  }

  /** The OAuth base URL without trailing slash; null without OAuth. */
  public String oauthUrl() {
    return oauthUrl;
  }

  /** {@code <oauthUrl>/token}; null without OAuth. */
  public String tokenUrl() {
    return oauthUrl == null ? null : oauthUrl + "/token";
  }

  /** The scopes a token is asked for, besides the tenant's. */
  public String scopes() {
    return scopes;
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
        && Objects.equals(oauthUrl, other.oauthUrl)
        && Objects.equals(clientId, other.clientId)
        && Objects.equals(clientSecret, other.clientSecret)
        && Objects.equals(audience, other.audience)
        && scopes.equals(other.scopes)
        && tenantId.equals(other.tenantId)
        && connectTimeout.equals(other.connectTimeout)
        && readTimeout.equals(other.readTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        baseUrl, oauthUrl, clientId, clientSecret, audience, scopes, tenantId, connectTimeout, readTimeout);
  }

  /** Everything but the client secret. */
  @Override
  public String toString() {
    return "ManagementApiConfig{baseUrl=" + baseUrl + ", oauthUrl=" + oauthUrl + ", clientId=" + clientId
        + ", clientSecret=***, audience=" + audience + ", scopes=" + scopes + ", tenantId=" + tenantId
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "}";
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

  /**
   * Builds a {@link ManagementApiConfig}: the base URL and the tenant are required, the OAuth values all or
   * none; scopes and timeouts have defaults.
   */
  public static final class Builder {
    private String baseUrl;
    private String oauthUrl;
    private String clientId;
    private String clientSecret;
    private String audience;
    private String scopes = JOB_SCOPES;
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

    /** Space-separated scopes a token is asked for; the tenant's scope is added. */
    public Builder scopes(String scopes) {
      this.scopes = scopes;
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
