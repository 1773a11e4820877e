package io.railyard.loop;

import com.sun.net.httpserver.HttpsServer;
import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests through a real forward proxy: http in absolute form, https through a CONNECT tunnel, the
 * target's name resolved only by the proxy, Basic credentials.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopProxyTest {

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static LoopHttpResponse send(LoopPool pool, LoopHttpRequest r) throws Exception {
        return pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(r)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void httpGoesToTheProxyInAbsoluteFormAndOnlyTheProxyResolvesTheTarget() throws Exception {
        try (RawHttpServer target = new RawHttpServer(); ForwardProxy proxy = new ForwardProxy();
             LoopPool pool = new LoopPool(PoolSpec.of(4))) {
            proxy.resolveAs("only-the-proxy.test", new InetSocketAddress("127.0.0.1", target.port()));
            LoopHttpProxy via = new LoopHttpProxy("127.0.0.1", proxy.port(), null);
            for (int i = 0; i < 3; i++) {
                LoopHttpResponse r = send(pool, LoopHttpRequest.get("http://only-the-proxy.test:8080/length").via(via));
                assertEquals(200, r.status());
                assertEquals("hello world", r.bodyText());
            }
            assertEquals(List.of("GET http://only-the-proxy.test:8080/length HTTP/1.1", "GET http://only-the-proxy.test:8080/length HTTP/1.1",
                    "GET http://only-the-proxy.test:8080/length HTTP/1.1"), proxy.seen());
        }
    }

    @Test
    void basicCredentialsGoWithEveryRequestAndA407IsAnAnswer() throws Exception {
        try (RawHttpServer target = new RawHttpServer(); ForwardProxy proxy = new ForwardProxy().requireCredentials("ann", "s3cr:t");
             LoopPool pool = new LoopPool(PoolSpec.of(4))) {
            LoopHttpRequest get = LoopHttpRequest.get(target.url("/length"));
            assertEquals(407, send(pool, get.via(new LoopHttpProxy("127.0.0.1", proxy.port(), null))).status());
            LoopHttpResponse ok = send(pool, get.via(new LoopHttpProxy("127.0.0.1", proxy.port(), basic("ann", "s3cr:t"))));
            assertEquals(200, ok.status());
            assertEquals(List.of("", basic("ann", "s3cr:t")), proxy.authorizations());
        }
    }

    @Test
    void httpsIsTunnelledWithConnectAndTheCertificateIsCheckedForTheTarget() throws Exception {
        TestTls tls = TestTls.create(dir, "secure.test");
        HttpsServer server = tls.serve(exchange -> {
            byte[] body = ("secure " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        try (ForwardProxy proxy = new ForwardProxy().requireCredentials("ann", "pw");
             LoopPool pool = new LoopPool(PoolSpec.of(4).withOptions(Map.of("https.trustStore", tls.keyStore().toString(),
                     "https.trustStorePassword", TestTls.PASSWORD)))) {
            proxy.resolveAs("secure.test", server.getAddress());
            LoopHttpRequest get = LoopHttpRequest.get("https://secure.test:8443/hello");
            LoopHttpResponse r = send(pool, get.via(new LoopHttpProxy("127.0.0.1", proxy.port(), basic("ann", "pw"))));
            assertEquals(200, r.status());
            assertEquals("secure /hello", r.bodyText());
            assertEquals("CONNECT secure.test:8443 HTTP/1.1", proxy.seen().getFirst());

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> send(pool, get.via(new LoopHttpProxy("127.0.0.1", proxy.port(), basic("ann", "wrong")))));
            ProxyRefusedException e = assertInstanceOf(ProxyRefusedException.class, refused.getCause());
            assertEquals(407, e.status());
            assertTrue(e.getMessage().contains("407") && !e.getMessage().contains("wrong"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
