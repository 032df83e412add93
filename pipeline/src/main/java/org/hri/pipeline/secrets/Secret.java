package org.hri.pipeline.secrets;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The value of a secret option: the secret itself, or a reference read each time the secret is used, so that
 * the secret stays out of the job's options, its display data and every configuration the runner publishes:
 *
 * <ul>
 *   <li>{@code env:NAME} — the environment variable {@code NAME};
 *   <li>{@code file:/path} — the file's content without its trailing line break (a mounted Kubernetes Secret);
 *       read again on each use, so a rotated file needs no restart.
 * </ul>
 *
 * <p>Messages name the option and the reference, never the secret. {@link #toString} never shows a literal.
 */
public final class Secret implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String ENV = "env:";
  static final String FILE = "file:";

  private final String option;
  private final String value;

  private Secret(String option, String value) {
    this.option = Objects.requireNonNull(option, "option");
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret given as {@code value} of {@code option} (e.g. {@code --clientSecret}). */
  public static Secret of(String option, String value) {
    return new Secret(option, value);
  }

  /** The secret, read now; throws {@link IllegalArgumentException} naming the option when it cannot be read. */
  public String reveal() {
    return reveal(System::getenv);
  }

  String reveal(Function<String, String> env) {
    if (value.startsWith(ENV)) {
      String name = value.substring(ENV.length());
      String secret = env.apply(name);
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException(option + ": the environment variable " + name + " is not set");
      }
      return secret;
    }
    if (value.startsWith(FILE)) {
      Path path = Path.of(value.substring(FILE.length()));
      try {
        String secret = stripLineBreak(Files.readString(path, StandardCharsets.UTF_8));
        if (secret.isEmpty()) {
          throw new IllegalArgumentException(option + ": the file " + path + " is empty");
        }
        return secret;
      } catch (IOException e) {
        throw new IllegalArgumentException(
            option + ": cannot read the file " + path + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return value;
  }

  /** Whether the option names where the secret is rather than holding it. */
  public boolean isReference() {
    return value.startsWith(ENV) || value.startsWith(FILE);
  }

  /**
   * The reference, a file's path made absolute (a Kafka client or a runner's worker may run elsewhere than the
   * command line); throws {@link IllegalStateException} for a literal secret.
   */
  public String reference() {
    if (value.startsWith(FILE)) {
      return FILE + Path.of(value.substring(FILE.length())).toAbsolutePath();
    }
    if (value.startsWith(ENV)) {
      return value;
    }
    throw new IllegalStateException(option + " is not a reference");
  }

  private static String stripLineBreak(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && option.equals(other.option) && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(option, value);
  }

  /** The reference, or {@code ******} for a literal secret. */
  @Override
  public String toString() {
    return isReference() ? value : "******";
  }
}
