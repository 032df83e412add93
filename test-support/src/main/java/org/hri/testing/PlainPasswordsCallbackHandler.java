package org.hri.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;

/**
 * The test broker's SASL PLAIN passwords, read from a file at each authentication so that a test can rotate them
 * while the broker runs, the way a managed Kafka service lets an API key be added and the old one revoked. The
 * file holds one {@code user password} pair per line (a user may have several); its path is the login module's
 * option {@value #PASSWORDS}.
 */
public final class PlainPasswordsCallbackHandler implements AuthenticateCallbackHandler {
  static final String PASSWORDS = "passwords";

  private Path passwords;

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    passwords = Path.of((String) jaasConfigEntries.get(0).getOptions().get(PASSWORDS));
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    String user = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback name) {
        user = name.getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback authenticate) {
        String line = user + " " + new String(authenticate.password());
        authenticate.authenticated(Files.readAllLines(passwords, StandardCharsets.UTF_8).contains(line));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  /** Makes {@code accepted} the passwords of {@code user}, and nothing else, in the file at once. */
  static void write(Path passwords, String user, Set<String> accepted) {
    try {
      Path next = Files.write(passwords.resolveSibling(passwords.getFileName() + ".next"),
          accepted.stream().map(password -> user + " " + password).toList(), StandardCharsets.UTF_8);
      Files.move(next, passwords, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {}
}
