package org.hri.validators.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;

/**
 * The JVM's one HAPI FHIR R4 context. Building it and scanning the model take seconds and it is thread-safe,
 * so every validator instance of every worker thread shares it; it is built on first use.
 */
public final class FhirR4 {
  private FhirR4() {}

  private static final class Holder {
    static final FhirContext CONTEXT = build();

    private static FhirContext build() {
      FhirContext context = FhirContext.forR4();
      // HAPI's default handler logs each parsing problem with the element names the record used: record content
      // in the logs. The validators report problems themselves, without content.
      context.setParserErrorHandler(new LenientErrorHandler(false));
      context.getResourceTypes(); // scans the whole model now rather than during the first records
      return context;
    }
  }

  public static FhirContext context() {
    return Holder.CONTEXT;
  }
}
