package org.hri.pipeline.kafka;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Per-element steps applied to each part of a list before the parts are flattened. On Flink a flatten is an
 * operator input of its own: a step after it does not chain to the task that produced its elements, so every
 * element would cross one more network hop.
 */
final class EachPart {
  private EachPart() {}

  /** {@code step} applied to each part, named {@code name}, {@code name2}, {@code name3}, ... */
  static <A, B> PCollectionList<B> apply(
      PCollectionList<A> parts, String name, PTransform<? super PCollection<A>, PCollection<B>> step,
      Coder<B> coder) {
    PCollectionList<B> results = PCollectionList.empty(parts.getPipeline());
    for (int i = 0; i < parts.size(); i++) {
      results = results.and(parts.get(i).apply(i == 0 ? name : name + (i + 1), step).setCoder(coder));
    }
    return results;
  }

  /** The parts as one collection: the only part itself, or their flatten named {@code name}. */
  static <T> PCollection<T> flatten(PCollectionList<T> parts, String name, Coder<T> coder) {
    return parts.size() == 1 ? parts.get(0) : parts.apply(name, Flatten.pCollections()).setCoder(coder);
  }
}
