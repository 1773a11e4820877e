package io.railyard.loop;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
    private final HeaderFields fields;
    private final byte[] body;
    private final int bodyLength;
    private final boolean truncated;

    LoopHttpResponse(LoopHttpRequest request, int status, String version, HeaderFields fields, byte[] body, boolean truncated) {
        this(request, status, version, fields, body, body.length, truncated);
    }

    LoopHttpResponse(LoopHttpRequest request, int status, String version, HeaderFields fields, byte[] body, int bodyLength, boolean truncated) {
        this.request = request;
        this.status = status;
        this.version = version;
        this.fields = fields;
        this.body = body;
        this.bodyLength = bodyLength;
        this.truncated = truncated;
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
        List<String> headers = fields.list();
        for (int i = 0; i < headers.size(); i += 2) if (headers.get(i).equalsIgnoreCase(name)) return headers.get(i + 1);
        return null;
    }

    /** Every value of a header, in order. */
    public List<String> headers(String name) {
        List<String> headers = fields.list(), values = new ArrayList<>(2);
        for (int i = 0; i < headers.size(); i += 2) if (headers.get(i).equalsIgnoreCase(name)) values.add(headers.get(i + 1));
        return values;
    }

    /** The header names as the server spelled them, each once, in order of first appearance. */
    public Set<String> headerNames() {
        List<String> headers = fields.list();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < headers.size(); i += 2) names.add(headers.get(i));
        return names;
    }

    /** The body (empty when the request {@link LoopHttpRequest#withCountedBody counted} it); callers must not modify it. */
    public byte[] body() {
        return body;
    }

    /** The body's length, also when it was counted rather than kept. */
    public int bodyLength() {
        return bodyLength;
    }

    /** The body was longer than the request's {@link LoopHttpRequest#withBodyLimit limit} and was cut there. */
    public boolean truncated() {
        return truncated;
    }

    /** The body decoded with the charset of its {@code Content-Type}, UTF-8 by default. */
    public String bodyText() {
        Charset cs = StandardCharsets.UTF_8;
        String type = header("content-type");
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
        return version + " " + status + " (" + bodyLength + " bytes) for " + request;
    }
}
