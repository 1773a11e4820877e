package io.railyard.bench.harness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The JSON line of a {@link RunResult}, written field by field with jackson-core's streaming
 * generator: the same text {@link ResultsJson#toLine} gives for it (field names, order, numbers,
 * omitted fields), without building {@link ResultsJson#MAPPER}. A fresh command that prints one
 * result would otherwise spend 0.1-0.25 s building the mapper and its serializers by reflection
 * (docs/startup.md). The rarely present nested parts (a trial's budget check or autoscale report, a
 * parameter that is not a string, number or boolean) are written by the mapper. Thread-safe.
 */
public final class RunResultJson {
    private RunResultJson() {}

    private static final JsonFactory FACTORY = new JsonFactory();

    /** One line of JSON, equal to {@code ResultsJson.toLine(r)}. */
    public static String toLine(RunResult r) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("work", r.work());
            g.writeStringField("model", r.model());
            g.writeNumberField("n", r.n());
            g.writeNumberField("c", r.c());
            g.writeNumberField("wall_s", r.wallS());
            g.writeNumberField("cpu_s", r.cpuS());
            g.writeNumberField("peak_rss_bytes", r.peakRssBytes());
            g.writeNumberField("limit_s", r.limitS());
            g.writeNumberField("ok", r.ok());
            g.writeNumberField("failed", r.failed());
            g.writeNumberField("cores_used", r.coresUsed());
            if (Double.isFinite(r.wallVsLimit())) g.writeNumberField("wall_vs_limit", r.wallVsLimit());
            else g.writeNullField("wall_vs_limit"); // a limit of 0 (run io --latency-ms 0): no ratio
            g.writeNumberField("startup_s", r.startupS());
            g.writeNumberField("queued_p50_us", r.queuedP50Us());
            g.writeNumberField("queued_p99_us", r.queuedP99Us());
            g.writeStringField("temperature", r.temperature());
            g.writeNumberField("warmup", r.warmup());
            g.writeFieldName("params");
            writeMap(g, r.params());
            g.writeFieldName("trials");
            if (r.trials() == null) g.writeNull();
            else {
                g.writeStartArray();
                for (Trial t : r.trials()) writeTrial(g, t);
                g.writeEndArray();
            }
            g.writeFieldName("failures");
            writeMap(g, r.failures());
            g.writeBooleanField("stopped", r.stopped());
            if (r.budgetVerdict() != null) g.writeStringField("budget_verdict", r.budgetVerdict());
            g.writeNumberField("process_wall_s", r.processWallS());
            g.writeNumberField("process_cpu_s", r.processCpuS());
            g.writeNumberField("process_peak_rss_bytes", r.processPeakRssBytes());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeTrial(JsonGenerator g, Trial t) throws IOException {
        if (t == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("wall_s", t.wallS());
        g.writeNumberField("cpu_s", t.cpuS());
        g.writeNumberField("peak_rss_bytes", t.peakRssBytes());
        g.writeNumberField("ok", t.ok());
        g.writeNumberField("failed", t.failed());
        g.writeNumberField("startup_s", t.startupS());
        g.writeNumberField("queued_p50_us", t.queuedP50Us());
        g.writeNumberField("queued_p99_us", t.queuedP99Us());
        g.writeNumberField("queued_max_us", t.queuedMaxUs());
        g.writeNumberField("peak_threads", t.peakThreads());
        g.writeNumberField("peak_processes", t.peakProcesses());
        g.writeBooleanField("warm", t.warm());
        if (t.budget() != null) {
            g.writeFieldName("budget");
            g.writeRawValue(ResultsJson.toLine(t.budget()));
        }
        if (t.autoscale() != null) {
            g.writeFieldName("autoscale");
            g.writeRawValue(ResultsJson.toLine(t.autoscale()));
        }
        if (t.failures() != null && !t.failures().isEmpty()) {
            g.writeFieldName("failures");
            writeMap(g, t.failures());
        }
        if (t.figures() != null && !t.figures().isEmpty()) {
            g.writeFieldName("figures");
            writeMap(g, t.figures());
        }
        g.writeEndObject();
    }

    /** A map in its iteration order (as the mapper writes maps), its keys as they are. */
    private static void writeMap(JsonGenerator g, Map<String, ?> map) throws IOException {
        if (map == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Short s -> g.writeNumber(s);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal b -> g.writeNumber(b);
            default -> g.writeRawValue(ResultsJson.toLine(v)); // anything else as the mapper writes it
        }
    }
}
