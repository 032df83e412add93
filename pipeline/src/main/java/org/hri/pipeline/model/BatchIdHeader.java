package org.hri.pipeline.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record's {@code batchId} header, checked before the id is used anywhere (a state key, a URL, a log line):
 * headers are untrusted input. An id is valid when it is non-empty UTF-8 of at most {@value #MAX_BYTES} bytes
 * without control characters, and the header appears once.
 */
public record BatchIdHeader(Kind kind, String id) {
  /** Longest batch id in UTF-8 bytes; longer ids are answered 414 by web servers, or fill state and logs. */
  public static final int MAX_BYTES = 256;

  private static final BatchIdHeader MISSING = new BatchIdHeader(Kind.MISSING, null);
  private static final BatchIdHeader INVALID = new BatchIdHeader(Kind.INVALID, null);

  public enum Kind {
    /** No {@code batchId} header, or one without a value. */
    MISSING,
    /** A header that breaks the rules above; {@link #id()} is null. */
    INVALID,
    VALID
  }

  /** Checks the {@code batchId} header among {@code headers}. */
  public static BatchIdHeader of(List<HriHeader> headers) {
    HriHeader found = null;
    for (HriHeader header : headers) {
      if (HriRecord.BATCH_ID_HEADER.equals(header.key())) {
        if (found != null) {
          return INVALID; // which of two ids is meant cannot be told
        }
        found = header;
      }
    }
    if (found == null || found.value() == null) {
      return MISSING;
    }
    if (found.value().length > MAX_BYTES) {
      return INVALID;
    }
    String id = decodeUtf8(found.value());
    return id != null && isValidId(id) ? new BatchIdHeader(Kind.VALID, id) : INVALID;
  }

  /** Whether {@code id} may name a batch: non-empty, at most {@value #MAX_BYTES} UTF-8 bytes, no control characters. */
  public static boolean isValidId(String id) {
    return id != null
        && !id.isEmpty()
        && id.length() <= MAX_BYTES // a cheap bound before encoding: each char takes at least one byte
        && id.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES
        && id.codePoints().noneMatch(Character::isISOControl);
  }

  /** Strict UTF-8: malformed input is null, where {@code new String(bytes, UTF_8)} would substitute. */
  private static String decodeUtf8(byte[] bytes) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
