package org.hri.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java process the benchmark measures from outside — the job or the baseline — with its CPU time and peak
 * resident memory read from {@code /proc}, so that the broker and the benchmark's own clients are not counted.
 */
final class ChildJvm implements AutoCloseable {
  /** What Flink's own scripts pass to Java 17: its serializers reach into the JDK. */
  static final List<String> FLINK_JAVA17_OPTS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture in use

  private final String name;
  private final Process process;
  private final Path log;
  private final AtomicLong peakRss = new AtomicLong(-1);
  private final List<long[]> cpuSamples = new CopyOnWriteArrayList<>(); // {wall ms, cpu ms}
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cpu-sampler");
        t.setDaemon(true);
        return t;
      });

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    sampler.scheduleAtFixedRate(() -> {
      double cpu = cpuSeconds();
      if (!Double.isNaN(cpu)) { // NaN once the process has ended: a sample of 0 would make the CPU negative
        cpuSamples.add(new long[] {System.currentTimeMillis(), (long) (cpu * 1000)});
      }
      peakRss.accumulateAndGet(currentPeakRssMib(), Math::max); // also known once the process has ended
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  static ChildJvm start(String name, List<String> jvmOptions, String classpath, String mainClass,
      List<String> args, Path logDir) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaHome().resolve("bin/java").toString());
    command.addAll(jvmOptions);
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(name, process, log);
  }

  private static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  /** User plus system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      // The command name (field 2) may hold spaces; the fields after it are fixed.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return (double) ticks / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU cores the process used on average between two moments of its life (from 100 ms samples). */
  double coresBetween(long fromMs, long toMs) {
    long[] from = sampleAt(fromMs);
    long[] to = sampleAt(toMs);
    return from == null || to == null || to[0] <= from[0] ? Double.NaN
        : (double) (to[1] - from[1]) / (to[0] - from[0]);
  }

  private long[] sampleAt(long wallMs) {
    long[] nearest = null;
    for (long[] sample : cpuSamples) {
      if (nearest == null || Math.abs(sample[0] - wallMs) < Math.abs(nearest[0] - wallMs)) {
        nearest = sample;
      }
    }
    return nearest;
  }

  /** The process's peak resident set size in MiB (VmHWM), as last seen while it ran. */
  long peakRssMib() {
    return peakRss.accumulateAndGet(currentPeakRssMib(), Math::max);
  }

  private long currentPeakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** Java heap in use after a full GC, in MiB, asked with jcmd; -1 when jcmd cannot attach. */
  long heapAfterGcMib() {
    try {
      run(List.of(jcmd(), Long.toString(process.pid()), "GC.run"));
      Matcher used = HEAP_USED.matcher(run(List.of(jcmd(), Long.toString(process.pid()), "GC.heap_info")));
      return used.find() ? Long.parseLong(used.group(1)) / 1024 : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static String jcmd() {
    return javaHome().resolve("bin/jcmd").toString();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails with the tail of the log when the process has ended. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " ended with exit code " + process.exitValue() + "; see " + log);
    }
  }

  boolean waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdownNow();
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
