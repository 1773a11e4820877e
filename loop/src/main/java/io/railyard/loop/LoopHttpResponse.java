package io.railyard.loop;

import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A complete HTTP response: status, headers and the whole body. The body was framed by
 * {@code Content-Length}, chunked transfer-encoding, or the server closing the connection.
 *
 * <p>Immutable and thread-safe once handed out.
 */
public final class LoopHttpResponse {

    private final LoopHttpRequest request;
    private final int status;
    private final String version;
    private final HttpHeaders headers;
    private final byte[] body;

    LoopHttpResponse(LoopHttpRequest request, int status, String version, HttpHeaders headers, byte[] body) {
        this.request = request;
        this.status = status;
        this.version = version;
        this.headers = headers;
        this.body = body;
    }

    public LoopHttpRequest request() {
        return request;
    }

    public int status() {
        return status;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return version;
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of a header, in order. */
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    public Set<String> headerNames() {
        return headers.names();
    }

    /** The body; callers must not modify it. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return body.length;
    }

    /** The body decoded with the charset of its {@code Content-Type}, UTF-8 by default. */
    public String bodyText() {
        Charset cs = StandardCharsets.UTF_8;
        String type = headers.get("content-type");
        if (type != null) {
            int i = type.toLowerCase().indexOf("charset=");
            if (i >= 0) {
                try {
                    cs = Charset.forName(type.substring(i + 8).split(";")[0].trim().replace("\"", ""));
                } catch (RuntimeException unknownCharset) {
                    // keep UTF-8
                }
            }
        }
        return new String(body, cs);
    }

    @Override
    public String toString() {
        return version + " " + status + " (" + body.length + " bytes) for " + request;
    }
}
