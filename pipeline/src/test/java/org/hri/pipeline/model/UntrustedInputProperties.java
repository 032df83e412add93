package org.hri.pipeline.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Headers and notifications are untrusted input: for any bytes, parsing either yields a value that keeps
 * every rule, or an {@link IOException} — never another exception, never a value that breaks a rule.
 */
class UntrustedInputProperties {
  private static final List<String> FIELDS =
      List.of("id", "name", "integratorId", "topic", "dataType", "status", "startDate", "endDate", "recordCount",
          "expectedRecordCount", "actualRecordCount", "invalidThreshold", "invalidRecordCount", "metadata",
          "failureMessage");

  @Property(tries = 3000)
  void anyBytesAreANotificationThatKeepsTheRulesOrAnIoException(@ForAll byte[] bytes) {
    parseAndCheck(bytes);
  }

  @Property(tries = 5000)
  void anyJsonObjectIsANotificationThatKeepsTheRulesOrAnIoException(@ForAll("notifications") String json) {
    parseAndCheck(json.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 5000)
  void aBatchIdHeaderIsValidOnlyWhenItKeepsTheRules(@ForAll("headerLists") List<HriHeader> headers) {
    BatchIdHeader header = BatchIdHeader.of(headers);
    List<HriHeader> batchIds = headers.stream().filter(h -> h.key().equals("batchId")).toList();
    if (header.kind() == BatchIdHeader.Kind.VALID) {
      assertThat(batchIds.size(), is(1));
      assertThat(new String(batchIds.get(0).value(), StandardCharsets.UTF_8), is(header.id()));
      assertThat(BatchIdHeader.isValidId(header.id()), is(true));
      assertThat(batchIds.get(0).value().length, lessThanOrEqualTo(BatchIdHeader.MAX_BYTES));
    } else {
      assertThat(header.id() == null, is(true));
      assertThat(header.kind() == BatchIdHeader.Kind.MISSING,
          is(batchIds.isEmpty() || batchIds.size() == 1 && batchIds.get(0).value() == null));
    }
  }

  private static void parseAndCheck(byte[] bytes) {
    BatchNotification n;
    try {
      n = BatchNotification.fromJson(bytes);
    } catch (IOException e) {
      return; // rejected: the only other outcome allowed
    }
    assertThat(BatchIdHeader.isValidId(n.id()), is(true));
    assertThat(n.status(), notNullValue());
    assertThat(n.invalidThreshold(), greaterThanOrEqualTo(BatchNotification.NO_THRESHOLD));
    for (Long count : new Long[] {n.recordCount(), n.expectedRecordCount(), n.actualRecordCount(),
        n.invalidRecordCount()}) {
      assertThat(count == null || count >= 0, is(true));
    }
  }

  /** JSON objects whose fields take values of every type, the right one among them. */
  @Provide
  Arbitrary<String> notifications() {
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.of("started", "sendCompleted", "completed", "failed", "terminated", "b-1", "", "\u0000",
                "2026-11-22T01:00:00Z", "x".repeat(300)).map(v -> (Object) v),
            Arbitraries.longs().between(-3, 3).map(v -> (Object) v),
            Arbitraries.longs().map(v -> (Object) v),
            Arbitraries.doubles().between(-5, 5).map(v -> (Object) v),
            Arbitraries.of(true, false).map(v -> (Object) v),
            Arbitraries.just(List.of(1, "a")).map(v -> (Object) v),
            Arbitraries.just(Map.of("k", 1)).map(v -> (Object) v));
    return Arbitraries.subsetOf(FIELDS)
        .flatMap(fields -> values.list().ofSize(fields.size()).map(vals -> {
          ObjectNode node = Json.mapper().createObjectNode();
          List<String> names = new ArrayList<>(fields);
          for (int i = 0; i < names.size(); i++) {
            node.set(names.get(i), Json.mapper().valueToTree(vals.get(i)));
          }
          return node.toString();
        }));
  }

  @Provide
  Arbitrary<List<HriHeader>> headerLists() {
    Arbitrary<byte[]> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
            Arbitraries.just((byte[]) null));
    Arbitrary<HriHeader> headers =
        net.jqwik.api.Combinators.combine(Arbitraries.of("batchId", "batchid", "other"), values).as(HriHeader::new);
    return headers.list().ofMaxSize(4);
  }
}
