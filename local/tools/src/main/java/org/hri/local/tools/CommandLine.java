package org.hri.local.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of a command-line tool: {@code --name=value} or {@code --name value}, each at most once, from a
 * fixed set of names. {@code --help} (or {@code -h}) is recognised by {@link #helpRequested()}. Every problem is
 * a {@link UsageException}, which the tools turn into exit code 2.
 */
public final class CommandLine {
  /** A bad command line; the message says what is wrong. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values;
  private final boolean help;

  private CommandLine(Map<String, String> values, boolean help) {
    this.values = values;
    this.help = help;
  }

  /** Parses {@code args}; only the option names in {@code known} (without the leading dashes) are accepted. */
  public static CommandLine parse(String[] args, Set<String> known) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("Unexpected argument '" + arg + "': options look like --name=value");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new UsageException("Option --" + name + " needs a value");
        }
        value = args[++i];
      }
      if (!known.contains(name)) {
        throw new UsageException("Unknown option --" + name);
      }
      if (values.put(name, value) != null) {
        throw new UsageException("Option --" + name + " is given more than once");
      }
    }
    return new CommandLine(values, help);
  }

  public boolean helpRequested() {
    return help;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value of a required option; it must not be blank. */
  public String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("Option --" + name + " is required");
    }
    return value;
  }

  /** The value of an optional option, or {@code otherwise}; a blank value counts as absent. */
  public String optional(String name, String otherwise) {
    String value = values.get(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  /** A whole number option, at least {@code min}. */
  public long number(String name, long otherwise, long min) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return otherwise;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("Option --" + name + " must be a whole number, got '" + value + "'");
    }
    if (parsed < min) {
      throw new UsageException("Option --" + name + " must be at least " + min + ", got " + parsed);
    }
    return parsed;
  }

  /** Either all of {@code names} are given or none. */
  public void allOrNone(List<String> names) throws UsageException {
    long given = names.stream().filter(values::containsKey).count();
    if (given != 0 && given != names.size()) {
      throw new UsageException("Options " + String.join(", ", names.stream().map(n -> "--" + n).toList())
          + " go together: give all of them or none");
    }
  }
}
