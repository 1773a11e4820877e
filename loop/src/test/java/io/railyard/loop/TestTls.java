package io.railyard.loop;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made by the JDK's {@code keytool} for the names a test gives, an HTTPS
 * server (the JDK's) that presents it, and a client context that trusts it.
 *
 * @param keyStore PKCS12 file with the key and certificate, password {@link #PASSWORD}: the
 *                 {@code https.trustStore} of a loop pool that trusts it
 */
public record TestTls(Path keyStore, SSLContext serverContext, SSLContext clientContext) {

    public static final String PASSWORD = "railyard";

    /** A certificate for {@code dnsNames} and 127.0.0.1, in {@code dir}. */
    public static TestTls create(Path dir, String... dnsNames) throws Exception {
        Path keyStore = dir.resolve("tls-" + System.nanoTime() + ".p12");
        StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1");
        for (String n : dnsNames) san.append(",dns:").append(n);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + (dnsNames.length > 0 ? dnsNames[0] : "localhost"), "-ext", san.toString(),
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new TestTls(keyStore, server, client);
    }

    /** An HTTPS server at 127.0.0.1 with this certificate, {@code handler} at {@code /}; the caller stops it. */
    public HttpsServer serve(HttpHandler handler) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", handler);
        server.start();
        return server;
    }
}
