package io.railyard.server;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The server's own warm-up leaves its echo barrier as it found it: the warm-up opens as many echo
 * connections as the barrier waits for, so a barrier the server had not yet seen them all leave
 * would let a client's run echo before its own C connections were open.
 */
class ServerWarmupTest {

    @Test
    void afterTheWarmUpTheServerHasSeenEveryEchoConnectionGoAndTheBarrierIsClosed() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(50))) {
            ServerWarmup.run(server, 200); // 50 echo connections: enough to open a barrier of 50
            assertEquals(0, server.stats().echoConnections().current(), "the server saw every warm-up connection close");
            try (Socket s = new Socket("127.0.0.1", server.echoPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write("one of fifty\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoTimeout(300);
                assertThrows(SocketTimeoutException.class, in::read, "one connection of 50 is not echoed: the barrier is closed");
            }
        }
    }
}
