package io.railyard.cluster;

import java.util.ArrayList;
import java.util.List;

/** Parses member addresses given as {@code host:port,host:port} (port 5701 when left out). Stateless. */
final class Addresses {
    private Addresses() {}

    /** The port a member listens on when none is given: Hazelcast's. */
    static final int DEFAULT_PORT = 5701;

    /**
     * The addresses in {@code value}, each as {@code host:port}.
     *
     * @param what names the input in the error, e.g. {@code --cluster}
     * @throws IllegalArgumentException naming the input, the bad address and the expected form
     */
    static List<String> parse(String what, String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String a = part.trim();
            if (a.isEmpty()) continue;
            int colon = a.lastIndexOf(':');
            String host = colon < 0 ? a : a.substring(0, colon);
            int port = DEFAULT_PORT;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(a.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty() || host.contains(" ") || port < 1 || port > 65535)
                throw new IllegalArgumentException(what + " '" + a + "' is not an address: give host:port[,host:port...], e.g. 127.0.0.1:5701");
            out.add(host + ":" + port);
        }
        if (out.isEmpty())
            throw new IllegalArgumentException(what + " is empty: give host:port[,host:port...], e.g. 127.0.0.1:5701");
        return out;
    }
}
