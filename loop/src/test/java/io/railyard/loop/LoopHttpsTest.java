package io.railyard.loop;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.*;

/**
 * https against the JDK's own HTTPS server with a self-signed certificate made by {@code keytool}
 * (valid for 127.0.0.1 and localhost), trusted through the {@code https.trustStore} option.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopHttpsTest {

    private static final String PASSWORD = "railyard";

    @TempDir
    static Path dir;
    static Path keyStore;
    static HttpsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        keyStore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = ("secure " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.stop(0);
    }

    private static LoopPool trusting() {
        return new LoopPool(PoolSpec.of(8).withOptions(Map.of(
                "https.trustStore", keyStore.toString(), "https.trustStorePassword", PASSWORD)));
    }

    @Test
    void httpsWithATrustedSelfSignedCertificate() throws Exception {
        try (LoopPool pool = trusting()) {
            int port = server.getAddress().getPort();
            for (String host : new String[]{"127.0.0.1", "localhost"}) {
                LoopHttpRequest req = LoopHttpRequest.get("https://" + host + ":" + port + "/hello");
                for (int i = 0; i < 3; i++) {
                    LoopHttpResponse r = pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(req)).get(60, TimeUnit.SECONDS);
                    assertEquals(200, r.status());
                    assertEquals("secure /hello", r.bodyText());
                }
            }
            assertEquals(2, pool.http().connectionsOpened(), "one kept-alive TLS connection per origin");
        }
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAndFreesItsPlace() throws Exception {
        // one connection per host: a failed handshake that kept its place would make the next request wait forever
        try (LoopPool pool = new LoopPool(PoolSpec.of(8).withOptions(Map.of("http.maxConnectionsPerHost", "1")))) {
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/x";
            for (int i = 0; i < 3; i++) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> pool.http().get(url).get(60, TimeUnit.SECONDS));
                assertInstanceOf(ConnectException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("TLS handshake"), e.getCause().getMessage());
            }
        }
    }

    @Test
    void aMissingTrustStoreIsABadOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LoopPool(PoolSpec.of(1)
                .withOptions(Map.of("https.trustStore", dir.resolve("nope.p12").toString()))));
        assertTrue(e.getMessage().contains("https.trustStore"), e.getMessage());
    }
}
