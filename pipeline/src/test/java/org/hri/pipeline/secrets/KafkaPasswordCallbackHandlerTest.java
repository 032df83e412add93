package org.hri.pipeline.secrets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.TextOutputCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SASL login reads its password from the reference at each authentication. */
class KafkaPasswordCallbackHandlerTest {
  @TempDir Path dir;

  @Test
  void eachAuthenticationReadsTheFileAgain() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "first\n");
    KafkaPasswordCallbackHandler handler = configured(Map.of("username", "token", "passwordFrom", "file:" + file));

    assertThat(authenticate(handler), is(List.of("token", "first")));
    Files.writeString(file, "second\n");
    assertThat(authenticate(handler), is(List.of("token", "second")));
  }

  @Test
  void scramExtensionsAreNoneAndOtherQuestionsAreRefused() throws Exception {
    KafkaPasswordCallbackHandler handler =
        configured(Map.of("username", "u", "passwordFrom", "env:HRI_TEST_UNSET_VARIABLE"));
    ScramExtensionsCallback extensions = new ScramExtensionsCallback();
    handler.handle(new Callback[] {extensions});
    assertThat(extensions.extensions(), is(Map.of()));
    assertThrows(UnsupportedCallbackException.class,
        () -> handler.handle(new Callback[] {new TextOutputCallback(TextOutputCallback.INFORMATION, "hi")}));
  }

  @Test
  void anUnreadablePasswordFailsTheAuthenticationNamingTheReference() {
    KafkaPasswordCallbackHandler handler =
        configured(Map.of("username", "u", "passwordFrom", "env:HRI_TEST_UNSET_VARIABLE"));
    IOException e = assertThrows(IOException.class, () -> authenticate(handler));
    assertThat(e.getMessage(),
        is("sasl.jaas.config passwordFrom: the environment variable HRI_TEST_UNSET_VARIABLE is not set"));
  }

  @Test
  void aLiteralOrAMissingOptionIsRefusedWhenTheClientStarts() {
    IllegalArgumentException literal = assertThrows(IllegalArgumentException.class,
        () -> configured(Map.of("username", "u", "passwordFrom", "hunter2")));
    assertThat(literal.getMessage(),
        is("sasl.jaas.config: passwordFrom must be env:NAME or file:/path, not the password itself"));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> configured(Map.of("username", "u")));
    assertThat(missing.getMessage(),
        is("sasl.jaas.config: KafkaPasswordCallbackHandler needs the options username and passwordFrom"));
  }

  private static KafkaPasswordCallbackHandler configured(Map<String, String> options) {
    KafkaPasswordCallbackHandler handler = new KafkaPasswordCallbackHandler();
    handler.configure(Map.of(), "PLAIN", List.of(new AppConfigurationEntry(
        "org.apache.kafka.common.security.plain.PlainLoginModule", LoginModuleControlFlag.REQUIRED, options)));
    return handler;
  }

  /** What the SASL client asks, as the JDK's PLAIN client asks it. */
  private static List<String> authenticate(KafkaPasswordCallbackHandler handler) throws Exception {
    NameCallback name = new NameCallback("name");
    PasswordCallback password = new PasswordCallback("password", false);
    handler.handle(new Callback[] {name, password});
    return List.of(name.getName(), new String(password.getPassword()));
  }
}
