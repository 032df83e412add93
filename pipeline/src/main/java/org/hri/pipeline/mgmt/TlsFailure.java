package org.hri.pipeline.mgmt;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;

/** Turns a failed TLS handshake with the Management API or its OAuth service into one line an operator can act on. */
final class TlsFailure {
  private TlsFailure() {}

  static String describe(String host, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertPathBuilderException) {
        return "TLS with " + host + " failed: its certificate is not trusted; set "
            + ManagementApiHttp.TRUSTSTORE_ENV + " to a JKS trust store holding its CA";
      }
      if (cause instanceof CertificateException && cause.getMessage() != null
          && (cause.getMessage().contains("subject alternative names") || cause.getMessage().contains("No name"))) {
        return "TLS with " + host + " failed: its certificate is not issued for " + host;
      }
    }
    return "TLS with " + host + " failed (" + failure.getClass().getSimpleName() + ")";
  }
}
