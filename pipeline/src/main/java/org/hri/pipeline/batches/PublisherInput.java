package org.hri.pipeline.batches;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.SealedCoder;

/** What the side input's publisher is told: that the job started, or a batch's new status. */
sealed interface PublisherInput {
  /** The job started: publish what is known at once, before any notification arrives. */
  record StartUp() implements PublisherInput {}

  /** A notification said batch {@code batchId} has {@code status}. */
  record StatusUpdate(String batchId, BatchStatus status) implements PublisherInput {}

  SealedCoder<PublisherInput> CODER =
      SealedCoder.of(
          SealedCoder.variant(StartUp.class, VoidCoder.of(), startUp -> null, none -> new StartUp()),
          SealedCoder.variant(
              StatusUpdate.class, KvCoder.of(StringUtf8Coder.of(), BatchStatusCoder.of()),
              update -> KV.of(update.batchId(), update.status()),
              kv -> new StatusUpdate(kv.getKey(), kv.getValue())));
}
