package org.hri.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time in an iteration, reported by JMH as the secondary result
 * {@code threadCpuNanos}, normalised like operations to a rate: CPU nanoseconds per second of wall time (JMH
 * labels it ops/s). 10^9 means the thread ran all the time; less means the machine was busy and it waited for a
 * core. Records/s divided by this share estimates the rate on a core of its own. (The CPU of GC and JIT threads is
 * not included.) For throughput benchmarks only: other modes would invert it.
 *
 * <p>Read around the iteration, outside the measured calls: it costs nothing per record.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU nanoseconds of the benchmark thread in the iteration (JMH reports them per second). */
  public long threadCpuNanos;

  private long start;

  @Setup(Level.Iteration)
  public void start() {
    threadCpuNanos = 0;
    start = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stop() {
    threadCpuNanos = THREADS.getCurrentThreadCpuTime() - start;
  }
}
