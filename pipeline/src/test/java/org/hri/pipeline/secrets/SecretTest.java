package org.hri.pipeline.secrets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret options hold the secret, or say where it is; messages and toString never show it. */
class SecretTest {
  @TempDir Path dir;

  @Test
  void aLiteralIsTheSecretAndPrintsMasked() {
    Secret secret = Secret.of("--password", "hunter2");
    assertThat(secret.reveal(), is("hunter2"));
    assertThat(secret.isReference(), is(false));
    assertThat(secret.toString(), is("******"));
    IllegalStateException notAReference = assertThrows(IllegalStateException.class, secret::reference);
    assertThat(notAReference.getMessage(), is("--password is not a reference"));
  }

  @Test
  void anEnvironmentReferenceIsReadWhenUsed() {
    Secret secret = Secret.of("--clientSecret", "env:HRI_CLIENT_SECRET");
    assertThat(secret.reveal(Map.of("HRI_CLIENT_SECRET", "s3cret")::get), is("s3cret"));
    assertThat(secret.toString(), is("env:HRI_CLIENT_SECRET"));
    assertThat(secret.reference(), is("env:HRI_CLIENT_SECRET"));
    IllegalArgumentException unset =
        assertThrows(IllegalArgumentException.class, () -> secret.reveal(Map.<String, String>of()::get));
    assertThat(unset.getMessage(), is("--clientSecret: the environment variable HRI_CLIENT_SECRET is not set"));
  }

  @Test
  void aFileReferenceIsReadWithoutItsLineBreakEachTime() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "first\n");
    Secret secret = Secret.of("--password", "file:" + file);
    assertThat(secret.reveal(), is("first"));
    Files.writeString(file, "second\r\n");
    assertThat(secret.reveal(), is("second"));
    assertThat(Secret.of("--password", "file:relative/key").reference(),
        is("file:" + Path.of("relative/key").toAbsolutePath()));

    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> Secret.of("--password", "file:" + dir.resolve("nope")).reveal());
    assertThat(missing.getMessage(), is("--password: cannot read the file " + dir.resolve("nope") + " (NoSuchFileException)"));
    Files.writeString(file, "\n");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, secret::reveal);
    assertThat(empty.getMessage(), is("--password: the file " + file + " is empty"));
  }
}
