package io.httppool.benchmarks.load;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust material for nginx's self-signed certificate, for the clients that take a JDK
 * {@link SSLContext}. Hostname verification stays on: the certificate names 127.0.0.1.
 *
 * @author http-pool team
 */
final class Tls {

	private Tls() {
	}

	static KeyStore trustStore(Path certificate) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		try (InputStream in = Files.newInputStream(certificate)) {
			Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
			store.setCertificateEntry("nginx", cert);
		}
		return store;
	}

	static X509TrustManager trustManager(Path certificate) throws Exception {
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trustStore(certificate));
		return (X509TrustManager) factory.getTrustManagers()[0];
	}

	static SSLContext sslContext(Path certificate) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new javax.net.ssl.TrustManager[] { trustManager(certificate) }, null);
		return context;
	}

}
