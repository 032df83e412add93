package org.hri.local.integrator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.local.integrator.IngestResult.Outcome;
import org.hri.pipeline.mgmt.ManagementApiException;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;

/**
 * The Data Integrator of the HRI flow ("ingestion flow"): every file in {@code <folder>/in/} becomes one batch.
 *
 * <p>For one file ({@link #ingest(Path)}):
 *
 * <ol>
 *   <li>The file is opened and its first record read (a {@code .json} file is read and checked completely). A file
 *       that cannot be read, has no records or has an unsupported extension goes to {@code failed/} with no batch
 *       ({@link Outcome#UNREADABLE}).
 *   <li>A batch is created through the Management API: name = the file name, topic = the input topic, the
 *       configured {@code dataType} and {@code invalidThreshold}, metadata {@code {"file": name}}.
 *   <li>Every record is sent to the input topic with the {@code batchId} header (UTF-8) and the key
 *       {@code <file>:<line>}, by a producer of its own (zstd, {@code acks=all}, idempotent), which is then flushed.
 *       If sending cannot be finished (a produce error, the file turns out unreadable midway, an interruption),
 *       the producer is closed at once and the batch is terminated before the file goes to {@code failed/}: no
 *       batch is left half-sent and open.
 *   <li>sendComplete announces the count; then the batch is fetched every {@code pollInterval} until it is
 *       completed, failed or terminated, or the timeout passes.
 *   <li>The file moves to {@code processed/} (completed) or {@code failed/} (anything else) with a status file
 *       {@code <file>.status.json} beside it (see {@link IngestResult#statusJson()}). A name already taken there
 *       gets a number: {@code a.ndjson} becomes {@code a.1.ndjson}.
 * </ol>
 *
 * <p>{@link #run()} does this for every file in {@code in/} (hidden files, whose names start with a dot, are
 * left alone), in name order, {@code concurrency} files at a time. One line per batch event goes to the given
 * stream; record content is never printed or logged.
 *
 * <p>An interrupt (e.g. {@link #shutdown} from a shutdown hook) stops a file at the next step: before its batch
 * is created, the file stays in {@code in/} untouched; while its records are being sent, the batch is terminated
 * and the file goes to {@code failed/}; while waiting for the final status (everything sent), the file goes to
 * {@code failed/} as {@link Outcome#INTERRUPTED}. Management API calls themselves are not cut short by an
 * interrupt, so a batch is never created without the integrator learning its id.
 */
public final class Integrator {
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
  private static final String STATUS_SUFFIX = ".status.json";
  private static final Object MOVE_LOCK = new Object();

  private final IntegratorConfig config;
  private final BatchApiClient api;
  private final PrintStream out;
  private final AtomicReference<ExecutorService> running = new AtomicReference<>();

  public Integrator(IntegratorConfig config, BatchApiClient api, PrintStream out) {
    this.config = Objects.requireNonNull(config, "config");
    this.api = Objects.requireNonNull(api, "api");
    this.out = Objects.requireNonNull(out, "out");
  }

  public IntegratorConfig config() {
    return config;
  }

  /** The files {@link #run()} would process now: the non-hidden entries of {@code in/}, in name order. */
  public List<Path> inputFiles() throws IOException {
    try (Stream<Path> entries = Files.list(config.inFolder())) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }

  /**
   * Processes every file of {@code in/} ({@link #inputFiles()}), {@code concurrency} at a time, and returns the
   * results in name order. Files not started because of {@link #shutdown} stay in {@code in/} and have no result.
   *
   * @throws IOException if {@code in/} cannot be listed or {@code processed/} / {@code failed/} not created
   * @throws InterruptedException if this thread is interrupted; the files being processed are finished first
   *     (their batches terminated if not fully sent)
   */
  public List<IngestResult> run() throws IOException, InterruptedException {
    List<Path> files = inputFiles();
    Files.createDirectories(config.processedFolder());
    Files.createDirectories(config.failedFolder());
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(config.concurrency(), r -> {
      Thread t = new Thread(r, "hri-integrator-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (!running.compareAndSet(null, pool)) {
      pool.shutdownNow();
      throw new IllegalStateException("run() is already running");
    }
    try {
      List<Future<IngestResult>> futures = new ArrayList<>();
      for (Path file : files) {
        futures.add(pool.submit(() -> ingest(file)));
      }
      List<IngestResult> results = new ArrayList<>();
      for (Future<IngestResult> future : futures) {
        try {
          results.add(future.get());
        } catch (CancellationException e) {
          // not started before shutdown: the file stays in in/
        } catch (ExecutionException e) {
          throw new IllegalStateException("Unexpected error processing a file", e.getCause());
        } catch (InterruptedException e) {
          stop(pool, Duration.ofSeconds(60));
          throw e;
        }
      }
      return results;
    } finally {
      pool.shutdown();
      running.set(null);
    }
  }

  /**
   * Stops a running {@link #run()}: files not started yet stay in {@code in/}; files being sent are stopped and
   * their batches terminated; files waiting for a final status are moved to {@code failed/} as interrupted. Waits
   * at most {@code wait} for that. For a shutdown hook.
   */
  public void shutdown(Duration wait) throws InterruptedException {
    ExecutorService pool = running.get();
    if (pool != null) {
      stop(pool, wait);
    }
  }

  private static void stop(ExecutorService pool, Duration wait) throws InterruptedException {
    for (Runnable notStarted : pool.shutdownNow()) {
      if (notStarted instanceof Future<?> future) {
        future.cancel(false);
      }
    }
    pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Turns one file into one batch, as the class comment describes, and moves it to {@code processed/} or
   * {@code failed/}. Never throws: every problem is an outcome. An interrupt of the calling thread stops the file
   * as the class comment describes, and the thread's interrupt flag is set again on return.
   */
  public IngestResult ingest(Path file) {
    Attempt attempt = new Attempt(file);
    try {
      return attempt.run();
    } catch (RuntimeException e) {
      // A bug or an unexpected client failure: still never leave a batch open.
      String reason = "unexpected error: " + e.getClass().getSimpleName();
      if (attempt.batchId != null && attempt.expected == null) {
        return attempt.abort(reason);
      }
      return attempt.finish(Outcome.ERROR, null, reason);
    }
  }

  /** The work on one file. */
  private final class Attempt {
    private final Path file;
    private final String name;
    private final long startNanos = System.nanoTime();
    private KafkaProducer<byte[], byte[]> producer;
    private String batchId;
    private Long expected;
    private long sendCompleteTried = -1; // the count announced, once sendComplete was called
    private boolean interrupted;

    Attempt(Path file) {
      this.file = file;
      this.name = file.getFileName().toString();
    }

    IngestResult run() {
      RecordReader reader;
      RecordReader.Record first;
      try {
        reader = RecordReader.open(file);
      } catch (RecordReader.UnreadableFileException e) {
        return finish(Outcome.UNREADABLE, null, e.getMessage());
      }
      try (reader) {
        try {
          first = reader.next();
        } catch (RecordReader.UnreadableFileException e) {
          return finish(Outcome.UNREADABLE, null, e.getMessage());
        }
        if (first == null) {
          return finish(Outcome.UNREADABLE, null, "no records: the file is empty");
        }
        try {
          producer = new KafkaProducer<>(producerConfig());
        } catch (KafkaException e) {
          return finish(Outcome.ERROR, null, "cannot create the Kafka producer: " + describe(e));
        }
        try {
          return createAndSend(reader, first);
        } finally {
          closeProducer(Duration.ofSeconds(5));
        }
      }
    }

    private IngestResult createAndSend(RecordReader reader, RecordReader.Record first) {
      if (Thread.currentThread().isInterrupted()) {
        // Stopped before anything happened: the file stays in in/ for the next run.
        say("stopped before its batch was created; the file is left where it is");
        return new IngestResult(name, null, null, Outcome.INTERRUPTED, null, null, null, null,
            "stopped before the batch was created", Duration.ofNanos(System.nanoTime() - startNanos));
      }
      ObjectNode metadata = Json.mapper().createObjectNode().put("file", name);
      try {
        batchId = api.createBatch(name, config.inputTopic(), config.dataType(), config.invalidThreshold(), metadata);
      } catch (IOException e) {
        return finish(Outcome.ERROR, null, "could not create the batch: " + e.getMessage());
      }
      say("batch " + batchId + " created");

      long sent;
      try {
        sent = send(reader, first);
      } catch (SendAborted e) {
        return abort(e.getMessage());
      }
      closeProducer(Duration.ofSeconds(5)); // flushed: nothing pending
      say("batch " + batchId + " sent " + sent + " records");

      sendCompleteTried = sent;
      try {
        api.sendComplete(batchId, sent, null);
      } catch (IOException e) {
        // The answer may be lost although the call went through: look before terminating.
        BatchNotification now = tryGet();
        if (now == null || now.status() == BatchStatus.STARTED) {
          return abort("sendComplete failed: " + e.getMessage());
        }
        if (now.status() == BatchStatus.FAILED || now.status() == BatchStatus.TERMINATED) {
          // e.g. validation failed the batch on its invalid threshold before sendComplete
          return finishWithStatus(now, null);
        }
        // sendCompleted or completed: the call went through
      }
      expected = sent;
      say("batch " + batchId + " sendComplete");
      return await();
    }

    /** Sends every record and flushes; returns the count. */
    private long send(RecordReader reader, RecordReader.Record first) throws SendAborted {
      byte[] batchIdBytes = batchId.getBytes(StandardCharsets.UTF_8);
      AtomicReference<String> failure = new AtomicReference<>();
      long count = 0;
      RecordReader.Record record = first;
      try {
        while (record != null) {
          if (Thread.interrupted()) {
            interrupted = true;
            throw new SendAborted("interrupted after sending " + count + " records");
          }
          if (failure.get() != null) {
            throw new SendAborted(failure.get());
          }
          long line = record.line();
          ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(config.inputTopic(), null,
              (name + ":" + line).getBytes(StandardCharsets.UTF_8), record.value(),
              List.of(new RecordHeader("batchId", batchIdBytes)));
          producer.send(message, (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, "could not send the record of line " + line + ": " + describe(error));
            }
          });
          count++;
          try {
            record = reader.next();
          } catch (RecordReader.UnreadableFileException e) {
            throw new SendAborted("file unreadable midway, " + e.getMessage());
          }
        }
        producer.flush();
      } catch (InterruptException e) {
        interrupted = true;
        throw new SendAborted("interrupted after sending " + count + " records");
      } catch (KafkaException e) {
        throw new SendAborted("could not send records: " + describe(e));
      }
      if (failure.get() != null) {
        throw new SendAborted(failure.get());
      }
      return count;
    }

    /**
     * Stops sending (pending records are dropped) and terminates the batch. If the batch cannot be terminated
     * because it already moved on, its current status decides.
     */
    IngestResult abort(String reason) {
      interrupted |= Thread.interrupted(); // cleared while closing and terminating, set again on return
      closeProducer(Duration.ZERO);
      try {
        api.terminate(batchId, null);
        return finish(Outcome.TERMINATED, null, reason);
      } catch (IOException e) {
        BatchNotification now = tryGet();
        if (now != null && now.status() == BatchStatus.SEND_COMPLETED && sendCompleteTried >= 0) {
          // our sendComplete went through after all: every record was sent
          expected = sendCompleteTried;
          return await();
        }
        if (now != null && now.status().isFinal()) {
          return finishWithStatus(now, reason);
        }
        return finish(Outcome.ERROR, now, reason + "; terminate failed: " + e.getMessage());
      }
    }

    /** Polls the batch until it is final or the timeout passes. */
    private IngestResult await() {
      long deadline = System.nanoTime() + config.timeout().toNanos();
      BatchNotification last = null;
      String lastError = null;
      while (true) {
        if (interrupted || Thread.currentThread().isInterrupted()) {
          interrupted = true;
          Thread.interrupted();
          return finish(Outcome.INTERRUPTED, last,
              "stopped while waiting for the final status (last status: " + statusOf(last) + ")");
        }
        try {
          last = api.getBatch(batchId);
          lastError = null;
          if (last.status().isFinal()) {
            return finishWithStatus(last, null);
          }
        } catch (ManagementApiException e) {
          if (e.statusCode() / 100 == 4) {
            return finish(Outcome.ERROR, last, "could not follow the batch: " + e.getMessage());
          }
          lastError = e.getMessage();
        } catch (IOException e) {
          lastError = describe(e);
        }
        if (Thread.currentThread().isInterrupted()) {
          continue; // reported at the top of the loop
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return finish(Outcome.TIMEOUT, last, "no final status within " + config.timeout().toSeconds()
              + " s (last status: " + statusOf(last) + (lastError == null ? "" : "; last error: " + lastError)
              + ")");
        }
        try {
          Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), config.pollInterval().toMillis())));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }

    private IngestResult finishWithStatus(BatchNotification batch, String ourReason) {
      return switch (batch.status()) {
        case COMPLETED -> finish(Outcome.COMPLETED, batch, null);
        case FAILED -> finish(Outcome.FAILED, batch, batch.failureMessage() == null
            ? "the batch failed without a failure message" : batch.failureMessage());
        case TERMINATED -> finish(Outcome.TERMINATED, batch,
            ourReason != null ? ourReason : "the batch was terminated by someone else");
        default -> throw new IllegalStateException("not a final status: " + batch.status());
      };
    }

    private BatchNotification tryGet() {
      try {
        return api.getBatch(batchId);
      } catch (IOException e) {
        return null;
      }
    }

    /** Moves the file, writes its status file, prints the final line. */
    IngestResult finish(Outcome outcome, BatchNotification batch, String message) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      Path dir = outcome == Outcome.COMPLETED ? config.processedFolder() : config.failedFolder();
      Path movedTo = null;
      Path statusFile = null;
      String problem = null;
      try {
        Files.createDirectories(dir);
        synchronized (MOVE_LOCK) { // picking a free name and taking it must not interleave
          Path target = freeTarget(dir, name);
          if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(file, target);
            movedTo = target;
          }
          statusFile = dir.resolve((movedTo != null ? movedTo.getFileName().toString() : name) + STATUS_SUFFIX);
        }
      } catch (IOException e) {
        problem = "could not move the file to " + dir.getFileName() + ": " + describe(e);
      }
      String failureMessage = problem == null ? message : (message == null ? problem : message + "; " + problem);
      IngestResult result = new IngestResult(name, movedTo, null, outcome, batchId, expected,
          batch == null ? null : batch.actualRecordCount(), batch == null ? null : batch.invalidRecordCount(),
          failureMessage, elapsed);
      if (statusFile == null) {
        statusFile = dir.resolve(name + STATUS_SUFFIX);
      }
      try {
        writeAtomically(statusFile, Json.mapper().writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(result.statusJson()));
      } catch (IOException e) {
        statusFile = null;
        say("could not write the status file: " + describe(e));
      }
      result = new IngestResult(name, movedTo, statusFile, outcome, batchId, expected, result.actualRecordCount(),
          result.invalidRecordCount(), failureMessage, elapsed);
      say(finalLine(result));
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return result;
    }

    private String finalLine(IngestResult r) {
      String batch = r.batchId() == null ? "" : "batch " + r.batchId() + " ";
      return switch (r.outcome()) {
        case COMPLETED -> batch + "completed (valid " + valid(r) + ", invalid "
            + (r.invalidRecordCount() == null ? 0 : r.invalidRecordCount()) + ") in "
            + String.format(Locale.ROOT, "%.1f", r.seconds()) + " s";
        case UNREADABLE -> "unreadable, no batch created: " + r.failureMessage();
        case ERROR -> batch + "error" + (r.batchId() == null ? ", no batch created" : "") + ": "
            + r.failureMessage();
        case TIMEOUT -> batch + "timed out: " + r.failureMessage();
        default -> batch + r.outcome() + ": " + r.failureMessage();
      };
    }

    private void say(String text) {
      out.println(name + ": " + text);
    }

    private void closeProducer(Duration timeout) {
      if (producer != null) {
        boolean wasInterrupted = Thread.interrupted(); // else close() gives up waiting for its I/O thread at once
        try {
          producer.close(timeout);
        } catch (RuntimeException e) {
          // closing is best effort
        } finally {
          if (wasInterrupted) {
            Thread.currentThread().interrupt();
          }
        }
        producer = null;
      }
    }
  }

  /** Valid records; a batch completed without validation has no counts: then every record sent counts. */
  private static long valid(IngestResult r) {
    Long counted = r.actualRecordCount() != null ? r.actualRecordCount() : r.expectedRecordCount();
    long actual = counted == null ? 0 : counted;
    long invalid = r.invalidRecordCount() == null ? 0 : r.invalidRecordCount();
    return actual - invalid;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, IntegratorConfig.DEFAULT_MAX_REQUEST_SIZE);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "hri-integrator-" + CLIENT_IDS.incrementAndGet());
    c.putAll(config.producerConfig());
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return c;
  }

  /** {@code dir/name}, or {@code dir/<stem>.N<ext>} for the first N that is free (with its status file). */
  private static Path freeTarget(Path dir, String name) {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String candidate = name;
    for (int n = 1; Files.exists(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(candidate + STATUS_SUFFIX)); n++) {
      candidate = stem + "." + n + ext;
    }
    return dir.resolve(candidate);
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, content);
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String statusOf(BatchNotification batch) {
    return batch == null ? "unknown" : batch.status().json();
  }

  /** An exception's class and message, for messages; Kafka and I/O messages carry no record content. */
  static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Sending a batch could not be finished; the message says why. */
  private static final class SendAborted extends Exception {
    private static final long serialVersionUID = 1L;

    SendAborted(String message) {
      super(message);
    }
  }
}
