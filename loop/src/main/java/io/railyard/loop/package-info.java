/**
 * The {@code loop} model: railyard's answer to asyncio. Everything here runs on, or hands work to,
 * exactly one event-loop thread.
 */
package io.railyard.loop;
