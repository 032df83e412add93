package org.hri.pipeline.secrets;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;

/**
 * A Kafka client's SASL login (PLAIN or SCRAM) with a password read from its reference each time the client
 * authenticates: on every new connection and every re-authentication the broker asks for
 * ({@code connections.max.reauth.ms}). A rotated Secret file is therefore used from the next authentication on,
 * without restarting the client or the job. Configured as
 *
 * <pre>{@code
 * sasl.client.callback.handler.class=org.hri.pipeline.secrets.KafkaPasswordCallbackHandler
 * sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
 *     username="token" passwordFrom="file:/etc/hri/kafka-password";
 * }</pre>
 *
 * <p>{@code passwordFrom} takes {@code env:NAME} or {@code file:/path} (see {@link Secret}); the client's
 * configuration, which KafkaIO publishes as display data, holds only the reference.
 */
public final class KafkaPasswordCallbackHandler implements AuthenticateCallbackHandler {
  /** The login module option naming where the password is. */
  public static final String PASSWORD_FROM = "passwordFrom";

  private String username;
  private Secret password;

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (jaasConfigEntries.size() != 1) {
      throw new IllegalArgumentException(
          "sasl.jaas.config: " + getClass().getSimpleName() + " takes exactly one login module");
    }
    Map<String, ?> options = jaasConfigEntries.get(0).getOptions();
    if (!(options.get("username") instanceof String name) || !(options.get(PASSWORD_FROM) instanceof String from)) {
      throw new IllegalArgumentException(
          "sasl.jaas.config: " + getClass().getSimpleName() + " needs the options username and " + PASSWORD_FROM);
    }
    Secret secret = Secret.of("sasl.jaas.config " + PASSWORD_FROM, from);
    if (!secret.isReference()) {
      throw new IllegalArgumentException(
          "sasl.jaas.config: " + PASSWORD_FROM + " must be env:NAME or file:/path, not the password itself");
    }
    this.username = name;
    this.password = secret;
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback name) {
        name.setName(username);
      } else if (callback instanceof PasswordCallback passwordCallback) {
        passwordCallback.setPassword(revealPassword().toCharArray());
      } else if (!(callback instanceof ScramExtensionsCallback)) { // SCRAM asks for extensions: none
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  /** The password read now; a reference that cannot be read fails this authentication, not the client. */
  private String revealPassword() throws IOException {
    try {
      return password.reveal();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage());
    }
  }

  @Override
  public void close() {}
}
