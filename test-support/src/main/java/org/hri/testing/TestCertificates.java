package org.hri.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run, and server certificates it signs: for TLS tests against
 * real servers with nothing checked in.
 */
public final class TestCertificates {
  private static final char[] KEY_PASSWORD = "server-key".toCharArray();

  private final KeyPair caKeys;
  private final X509Certificate ca;

  private TestCertificates(KeyPair caKeys, X509Certificate ca) {
    this.caKeys = caKeys;
    this.ca = ca;
  }

  /** A new CA named {@code CN=<name>}. */
  public static TestCertificates newAuthority(String name) {
    try {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + name);
      JcaX509v3CertificateBuilder builder = builder(subject, subject, keys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      return new TestCertificates(keys, sign(builder, keys));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot create a test CA", e);
    }
  }

  public X509Certificate authority() {
    return ca;
  }

  /** Writes a JKS trust store holding this CA, protected by {@code password}. */
  public Path writeTrustStore(Path file, String password) {
    try (OutputStream out = Files.newOutputStream(file)) {
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      store.store(out, password.toCharArray());
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot write the trust store", e);
    }
  }

  /**
   * A TLS server context with a certificate this CA signed for {@code hosts} (DNS names, or IP addresses
   * written as literals).
   */
  public SSLContext serverContext(List<String> hosts) {
    try {
      KeyStore store = serverKeyStore(hosts);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, KEY_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create a server certificate", e);
    }
  }

  /**
   * Writes a PKCS12 key store with a server certificate this CA signed for {@code hosts}; the store and its
   * key are protected by {@code password}. For servers configured by file, such as a Kafka listener.
   */
  public Path writeServerKeyStore(Path file, List<String> hosts, String password) {
    try (OutputStream out = Files.newOutputStream(file)) {
      KeyStore source = serverKeyStore(hosts);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "server", source.getKey("server", KEY_PASSWORD), password.toCharArray(),
          source.getCertificateChain("server"));
      store.store(out, password.toCharArray());
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot write the server key store", e);
    }
  }

  private KeyStore serverKeyStore(List<String> hosts) throws GeneralSecurityException {
    try {
      KeyPair keys = keyPair();
      JcaX509v3CertificateBuilder builder =
          builder(new X500Name("CN=" + ca.getSubjectX500Principal().getName().substring(3)),
              new X500Name("CN=" + hosts.get(0)), keys);
      GeneralName[] names =
          hosts.stream()
              .map(h -> new GeneralName(
                  h.matches("[0-9.]+") || h.contains(":") ? GeneralName.iPAddress : GeneralName.dNSName, h))
              .toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      X509Certificate certificate = sign(builder, caKeys);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), KEY_PASSWORD, new X509Certificate[] {certificate, ca});
      return store;
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer, new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair issuerKeys)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
