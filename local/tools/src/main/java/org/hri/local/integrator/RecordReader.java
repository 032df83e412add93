package org.hri.local.integrator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.hri.pipeline.model.Json;

/**
 * Reads the records of one input file, chosen by extension: {@code .ndjson} and {@code .jsonl} hold one record
 * per non-empty line (lines are sent as they are, not parsed); {@code .json} holds one JSON document, which is
 * checked and becomes one record (its bytes unchanged). Text must be UTF-8; a leading byte-order mark is
 * dropped. Every problem is an {@link UnreadableFileException} whose message never quotes the file's content.
 */
final class RecordReader implements Closeable {
  /** One record: its 1-based line number in the file (1 for a {@code .json} file) and its bytes. */
  record Record(long line, byte[] value) {}

  /** The file cannot be read, or not as records; the message says why without quoting the content. */
  static final class UnreadableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableFileException(String message) {
      super(message);
    }

    UnreadableFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final InputStream lines; // null for a .json file
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private Record single; // the one record of a .json file, until returned
  private long lineNumber;

  private RecordReader(InputStream lines, Record single) {
    this.lines = lines;
    this.single = single;
  }

  /** Whether files with this name are read as line-delimited JSON, as one JSON document, or not at all. */
  static boolean supported(String fileName) {
    return format(fileName) != null;
  }

  private static String format(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
      return "lines";
    }
    if (lower.endsWith(".json")) {
      return "document";
    }
    return null;
  }

  /**
   * Opens a file. A {@code .json} file is read and checked completely here; a line-delimited file is read as
   * {@link #next()} is called.
   */
  static RecordReader open(Path file) throws UnreadableFileException {
    String format = format(file.getFileName().toString());
    if (format == null) {
      throw new UnreadableFileException("unsupported file type: expected .ndjson, .jsonl or .json");
    }
    if (Files.isDirectory(file)) {
      throw new UnreadableFileException("is a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new UnreadableFileException("is not a regular file");
    }
    try {
      if (format.equals("document")) {
        return new RecordReader(null, readDocument(file));
      }
      // Classic streams, not NIO channels: an interrupt must not close the file under us (the integrator looks
      // for interrupts itself and terminates the batch).
      return new RecordReader(new BufferedInputStream(new FileInputStream(file.toFile()), 65_536), null);
    } catch (UnreadableFileException e) {
      throw e;
    } catch (IOException e) {
      throw new UnreadableFileException(describe(e), e);
    }
  }

  private static Record readDocument(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = new FileInputStream(file.toFile())) {
      bytes = in.readAllBytes();
    }
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      bytes = Arrays.copyOfRange(bytes, 3, bytes.length);
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new UnreadableFileException("not valid UTF-8 text", e);
    }
    JsonNode document;
    try {
      document = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the offending token: say only where it is.
      JsonLocation at = e.getLocation();
      throw new UnreadableFileException("not a JSON document"
          + (at == null ? "" : " (syntax error at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (document == null || document.isMissingNode()) {
      throw new UnreadableFileException("no records: the file is empty");
    }
    return new Record(1, bytes);
  }

  /** The next record, or null at the end of the file. */
  Record next() throws UnreadableFileException {
    if (lines == null) {
      Record record = single;
      single = null;
      return record;
    }
    try {
      while (readLine()) {
        lineNumber++;
        byte[] bytes = line.toByteArray();
        int start = lineNumber == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
            && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        int end = bytes.length > start && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        String text;
        try {
          text = decoder.reset().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
          throw new UnreadableFileException("not valid UTF-8 text at line " + lineNumber, e);
        }
        if (!text.isBlank()) {
          boolean whole = start == 0 && end == bytes.length;
          return new Record(lineNumber, whole ? bytes : Arrays.copyOfRange(bytes, start, end));
        }
      }
      return null;
    } catch (UnreadableFileException e) {
      throw e;
    } catch (IOException e) {
      throw new UnreadableFileException(describe(e) + " (at line " + (lineNumber + 1) + ")", e);
    }
  }

  /** Reads the next line (without its \n) into {@link #line}; false at the end of the file. */
  private boolean readLine() throws IOException {
    line.reset();
    int b = lines.read();
    if (b < 0) {
      return false;
    }
    while (b >= 0 && b != '\n') {
      line.write(b);
      b = lines.read();
    }
    return true;
  }

  private static String describe(IOException e) {
    if (e instanceof FileNotFoundException) {
      String message = String.valueOf(e.getMessage());
      return message.endsWith("(Permission denied)") ? "access denied" : "cannot be opened";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "access denied";
    }
    return "cannot be read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public void close() {
    if (lines != null) {
      try {
        lines.close();
      } catch (IOException e) {
        // nothing was written; nothing to lose
      }
    }
  }
}
