package io.railyard.crawl;

import java.util.List;

/**
 * An HTTP response as a fetch task hands it to {@link Fetches#answer}, whichever client received
 * it: the headers the crawler reads and the body as it came off the wire (not yet content-decoded).
 *
 * @param wireCut     the client cut the body at its limit
 * @param xRobotsTags every {@code X-Robots-Tag} header value
 * @param fetchNanos  from the request's start to the whole body received
 */
record HttpAnswer(int status, String contentType, String contentEncoding, String location, String retryAfter,
                  List<String> xRobotsTags, byte[] body, boolean wireCut, long fetchNanos) {}
