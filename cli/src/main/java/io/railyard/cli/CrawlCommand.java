package io.railyard.cli;

import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlResult;
import io.railyard.crawl.CrawlRun;
import io.railyard.crawl.Crawler;
import io.railyard.crawl.FetchSettings;
import io.railyard.crawl.ProxySettings;
import io.railyard.crawl.Scope;
import io.railyard.bench.crawl.SiteCheck;
import io.railyard.bench.crawl.SiteWarmUp;
import io.railyard.crawl.Urls;
import io.railyard.server.ServerOptions;
import io.railyard.server.ServerProcess;
import io.railyard.server.SiteGraph;
import io.railyard.bench.workload.WorkloadFailedException;
import io.railyard.core.Models;
import io.railyard.core.Resizable;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.ScalingDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code railyard crawl}: the seed's closing program (fetch URLs concurrently, write
 * {@code source<TAB>link} for every href) made a crawler, on any model. The engine is
 * {@link Crawler}; this class reads and checks the command line, opens the output before anything
 * is fetched, starts the demo site, shows progress, prints the summary, and stops cleanly on Ctrl-C
 * (the output then holds whole pages only; {@code --resume} continues).
 *
 * <p>Runs on the picocli thread; the shutdown hook only asks the crawler to stop and waits for the
 * summary.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Crawl from the given URLs and write the links each page holds.",
                "Pages are fetched concurrently on the chosen model, their links extracted with an HTML parser (jsoup)"
                        + " and written as 'source<TAB>link' lines to --out as pages complete, and links followed to --depth."
                        + " Each URL is fetched once (normalised), robots.txt and robots meta tags are obeyed, compressed"
                        + " answers decoded, failures retried with backoff.",
                "Lines starting with '#' in the output are per-page records (grep -v '^#' leaves the links); with"
                        + " --format jsonl each URL is one JSON object. Either lets --resume continue an interrupted crawl"
                        + " without fetching again what the file holds.",
                "--demo crawls the latency server's generated site and checks that every page was found. See docs/crawl.md."})
public final class CrawlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", arity = "0..*", description = "where to start (http or https)")
    List<String> urls = new ArrayList<>();

    @Option(names = "--urls-file", paramLabel = "FILE", description = "more start URLs, one per line ('#' comments; bad lines are reported and skipped)")
    Path urlsFile;

    @Option(names = "--out", paramLabel = "FILE", description = "the output file (required, except with --demo)")
    Path out;

    @Option(names = "--resume", description = "continue the crawl in --out: what it holds is not fetched again")
    boolean resume;

    @Option(names = "--overwrite", description = "start --out afresh when it exists")
    boolean overwrite;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "loop",
            description = "concurrency model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = RunOptions.ModelNames.class)
    String model;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C",
            description = "fetches in flight at most (default: 100; processes: the cores, one worker JVM each)")
    Integer concurrencyOption;

    @Mixin
    BudgetOptions budget;

    /** Resolved in {@link #validate()}. */
    private int concurrency;

    @Option(names = "--depth", paramLabel = "D", description = "follow links from pages fewer than D links from a start URL; 'all' for no limit (default: 1, --demo: all)")
    String depth;

    @Option(names = "--max-pages", paramLabel = "P", description = "stop after fetching P URLs (default: no limit)")
    Long maxPages;

    @Option(names = "--same-host", description = "follow links only to the start URLs' hosts (other links are still written)")
    boolean sameHost;

    @Option(names = "--same-domain", description = "follow links only to the start URLs' registered domains, by the Public Suffix List (a.example.co.uk and b.example.co.uk are one)")
    boolean sameDomain;

    @Option(names = "--include", paramLabel = "REGEX", description = "follow only links whose normalised URL contains a match (repeatable: any of them)")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX", description = "do not follow links whose normalised URL contains a match (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--sitemaps", description = "also start from the start origins' sitemaps (robots.txt's Sitemap: lines and /sitemap.xml); their URLs enter at depth 0")
    boolean sitemaps;

    @Option(names = "--ignore-meta-robots", description = "follow the links of pages whose <meta name=robots> or X-Robots-Tag says nofollow")
    boolean ignoreMetaRobots;

    @Option(names = "--user-agent", paramLabel = "UA", description = "the User-Agent header; its first token is the name robots.txt groups are matched on (default: railyard/VERSION)")
    String userAgent;

    @Option(names = "--proxy", paramLabel = "URL", description = "fetch through this HTTP proxy, http://[user:password@]host:port (https through CONNECT); default: http.proxyHost/https.proxyHost, then $http_proxy/$https_proxy; $no_proxy applies")
    String proxy;

    @Option(names = "--no-proxy", description = "fetch directly, whatever the environment or JVM properties say")
    boolean noProxy;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "tsv", description = "the output: tsv (source<TAB>link lines and #records) or jsonl (one JSON object per URL) (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--json", description = "print the summary as one JSON object on stdout (the text summary goes to stderr)")
    boolean json;

    @Option(names = "--per-host", paramLabel = "N", description = "fetches in flight at most per host (default: 8, --demo: C)")
    Integer perHost;

    @Option(names = "--delay-ms", paramLabel = "MS", defaultValue = "0", description = "least time between two fetches from one host (default: ${DEFAULT-VALUE})")
    long delayMs;

    @Option(names = "--ignore-robots", description = "do not fetch or obey robots.txt")
    boolean ignoreRobots;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "tries again after 429, 5xx, connection errors and timeouts (default: ${DEFAULT-VALUE})")
    int retries;

    @Option(names = "--backoff-ms", paramLabel = "MS", defaultValue = "500", description = "wait before the first retry, doubled each time, Retry-After obeyed (default: ${DEFAULT-VALUE})")
    long backoffMs;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "60000", description = "the longest a whole fetch may take (default: ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--connect-timeout-ms", paramLabel = "MS", defaultValue = "10000", description = "the longest a connect may take (default: ${DEFAULT-VALUE})")
    int connectTimeoutMs;

    @Option(names = "--max-page-bytes", paramLabel = "B", defaultValue = "4194304", description = "longer pages are cut there and parsed as far as they go (default: ${DEFAULT-VALUE})")
    int maxPageBytes;

    @Option(names = "--demo", description = "crawl the latency server's generated site (started in its own process) and check the result")
    boolean demo;

    @Option(names = "--demo-pages", paramLabel = "N", defaultValue = "5000", description = "pages of the demo site (default: ${DEFAULT-VALUE})")
    int demoPages;

    @Option(names = "--demo-latency-ms", paramLabel = "MS", defaultValue = "100", description = "latency of each demo page (default: ${DEFAULT-VALUE})")
    int demoLatencyMs;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE", description = "a model-specific setting, repeatable")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread stopHook;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        validate();
        List<String> seeds = seeds(err);
        if (seeds.isEmpty() && !demo) throw new UserError("nothing to crawl: give start URLs, --urls-file FILE, or --demo");

        // the output first: an unwritable --out fails before anything starts or is fetched
        Path outPath = out != null ? out : Files.createTempFile("railyard-crawl-demo-", ".tsv");
        CrawlOutput.Resumed opened = openOutput(outPath);
        CrawlOutput output = opened.output();
        ServerProcess site = null;
        try {
            SiteGraph graph = null;
            if (demo) {
                err.printf("railyard crawl --demo: starting the latency server (site of %,d pages, %d ms per page) and warming it up...%n", demoPages, demoLatencyMs);
                err.flush();
                site = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1).withSite(demoPages, 1).withSiteLatencyMs(demoLatencyMs),
                        SiteWarmUp.SERVER_REQUESTS);
                graph = SiteGraph.generate(demoPages, 1);
                // the server's first seconds (JIT, rendering each page once) are not the crawler's to pay
                SiteWarmUp.warm(site.origin(), graph);
                seeds.add(0, Urls.normalize(site.origin() + SiteGraph.ROOT));
            }
            CrawlOptions options = options(new ArrayList<>(new LinkedHashSet<>(seeds)));
            if (!opened.held().records().isEmpty() || opened.held().tailBytes() > 0) {
                err.printf("railyard crawl: resuming %s: it holds %,d URLs%s%n", outPath, opened.held().records().size(),
                        opened.held().tailBytes() > 0 ? " (" + opened.held().tailBytes() + " bytes of an unfinished page cut off)" : "");
            }
            CrawlOutcome outcome;
            try {
                outcome = crawl(options, output, opened.held().records(), err, graph);
            } catch (IOException e) { // the output could not be written (disk full...): what is in it is whole pages
                throw new WorkloadFailedException("writing " + outPath + " failed (" + e.getMessage()
                        + "); it holds whole pages up to there: make room and continue with --resume");
            }
            output.close();
            PrintWriter human = json ? err : stdout;
            human.print(summary(outcome.run, options, outPath));
            human.flush();
            if (json) stdout.println(io.railyard.bench.harness.ResultsJson.toLine(summaryJson(outcome.run, options, outPath)));
            stdout.flush();
            int code = 0;
            if (demo && !outcome.run.result().end().equals("done")) {
                human.println("  site check: not run (the crawl did not finish)");
            } else if (demo && (!urls.isEmpty() || urlsFile != null)) {
                human.println("  site check: not run (other start URLs were crawled too)");
            } else if (demo) {
                double limit = SiteCheck.limitSeconds(graph, concurrency, demoLatencyMs, options.maxDepth());
                StringJoiner levels = new StringJoiner(", ");
                int[] sizes = SiteCheck.levelSizes(graph);
                for (int d = 0; d < sizes.length && d <= options.maxDepth(); d++) levels.add(String.valueOf(sizes[d]));
                human.printf(Locale.ROOT, "  demo limit %.3f s: breadth-first levels of %s pages, ceil(level / %d) x %d ms each; wall / limit = %.2f%n",
                        limit, levels, concurrency, demoLatencyMs, outcome.run.result().wallSeconds() / limit);
                SiteCheck check = SiteCheck.of(outPath, graph, site.origin(), !ignoreRobots, options.maxDepth());
                human.println("  site check: " + check.describe());
                if (!check.ok()) code = 1;
            }
            if (outcome.run.result().nothingFetched() && !outcome.interrupted) {
                human.println("  result   nothing fetched: " + nothingFetchedReason(outcome.run.result(), proxyOfSeeds(options)));
                code = 1;
            }
            human.flush();
            return outcome.interrupted ? 130 : code;
        } finally {
            output.close();
            if (site != null) site.close();
            if (out == null) Files.deleteIfExists(outPath); // --demo's own file, checked and summed up by now
            release();
        }
    }

    private record CrawlOutcome(CrawlRun.Outcome run, boolean interrupted) {}

    /**
     * Runs the crawl with a progress display. Ctrl-C (the JVM's shutdown) stops the crawler, then
     * waits until {@link #finished} says the summary is printed and the file closed.
     */
    private CrawlOutcome crawl(CrawlOptions options, CrawlOutput output, List<CrawlOutput.Record> held, PrintWriter err,
                               SiteGraph graph) throws Exception {
        AtomicReference<Crawler> crawler = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        stopHook = new Thread(() -> {
            interrupted.set(true);
            Crawler c = crawler.get();
            if (c != null) c.stop();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "railyard-crawl-stop");
        Runtime.getRuntime().addShutdownHook(stopHook);
        long expected = graph != null ? graph.depths(!ignoreRobots).values().stream().filter(d -> d <= options.maxDepth()).count()
                : options.maxPages() == Long.MAX_VALUE ? -1 : options.maxPages();
        try (CrawlProgressBar bar = CrawlProgressBar.forTerminal(err, expected)) {
            CrawlRun.Outcome o = CrawlRun.run(model, modelOptions, options, output, held, bar, crawler::set,
                    budget.autoscaled() ? budget.budget() : null, budget.autoscaleOptions());
            return new CrawlOutcome(o, interrupted.get());
        } catch (IllegalArgumentException e) {
            // the pool refusing what the user gave it, as run's does (RunOutput): a budget the tree already
            // exceeds, a JVM flag the worker JVMs refuse, more worker JVMs than memory holds
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Lets a Ctrl-C that is waiting for the summary go on; called once the file is closed. */
    private void release() {
        finished.countDown();
        if (stopHook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(stopHook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and now returns
        }
    }

    private void validate() {
        if (!Models.has(model))
            throw new UserError("unknown model '" + model + "': choose one of " + String.join(", ", Models.names()));
        concurrency = concurrencyOption != null ? concurrencyOption
                : Models.get(model).has(Resizable.class) ? Runtime.getRuntime().availableProcessors() : 100; // costly workers: one per core
        if (budget.autoscaled()) {
            if (concurrencyOption != null)
                throw new UserError("-c sets a fixed concurrency and --autoscale chooses it: drop -c, and give the most with --budget-concurrency");
            concurrency = budget.budget().maxConcurrency();
        } else if (budget.given()) {
            throw new UserError("the --budget-* options of crawl apply with --autoscale: add --autoscale, or drop them");
        }
        Validate.positive("-c", concurrency);
        ModelOptionKeys.check(model, modelOptions);
        RunOptions.checkModelOptions(model, concurrency, modelOptions);
        if (perHost != null) Validate.positive("--per-host", perHost);
        if (maxPages != null) Validate.positive("--max-pages", maxPages);
        Validate.range("--delay-ms", delayMs, 0, 3_600_000, "an hour");
        if (retries < 0) throw new UserError("--retries must be 0 or more, was " + retries);
        Validate.range("--backoff-ms", backoffMs, 0, 3_600_000, null);
        // past a day a fetch's deadline in nanoseconds soon overflows, and the pool's timer failed without a word
        Validate.range("--timeout-ms", timeoutMs, 1, 86_400_000, "a day");
        Validate.positive("--connect-timeout-ms", connectTimeoutMs);
        Validate.positive("--max-page-bytes", maxPageBytes);
        if (maxPageBytes > 64 << 20) throw new UserError("--max-page-bytes must be at most " + (64 << 20) + ", was " + maxPageBytes);
        if (demoPages < 1 || demoPages > ServerOptions.MAX_PAGES) throw new UserError("--demo-pages must be 1.." + ServerOptions.MAX_PAGES + ", was " + demoPages);
        if (demoLatencyMs < 0 || demoLatencyMs > 600_000) throw new UserError("--demo-latency-ms must be 0..600000, was " + demoLatencyMs);
        if (out == null && !demo) throw new UserError("--out FILE is required: where the 'source<TAB>link' lines go");
        if (resume && overwrite) throw new UserError("--resume and --overwrite contradict each other: choose one");
        if (resume && demo) throw new UserError("--demo cannot --resume: its site gets a new port each run; serve a site with 'railyard serve' and crawl that");
        if (outputFormat() == null) throw new UserError("--format must be tsv or jsonl, was '" + format + "'");
        if (sameHost && sameDomain) throw new UserError("--same-host and --same-domain overlap: choose one (--same-domain takes every host of the start URLs' domains)");
        if (proxy != null && noProxy) throw new UserError("--proxy and --no-proxy contradict each other: choose one");
        if (userAgent != null && (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)))
            throw new UserError("--user-agent must be one non-empty line, was '" + userAgent + "'");
        scope();
        proxies();
        parseDepth();
    }

    private CrawlOutput.Format outputFormat() {
        return CrawlOutput.Format.of(format);
    }

    private Scope scope() {
        try {
            return Scope.of(sameHost || (demo && urls.isEmpty() && urlsFile == null), sameDomain, includes, excludes);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** --no-proxy, --proxy, the JVM's proxy properties, the environment; the demo's own site is always direct. */
    private ProxySettings proxies() {
        try {
            if (demo && urls.isEmpty() && urlsFile == null && proxy == null) return ProxySettings.NONE;
            return ProxySettings.resolve(proxy, noProxy, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private int parseDepth() {
        if (depth == null) return demo ? Integer.MAX_VALUE : 1;
        if (depth.equalsIgnoreCase("all")) return Integer.MAX_VALUE;
        try {
            int d = Integer.parseInt(depth.strip());
            if (d >= 0) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--depth must be a number >= 0 or 'all', was '" + depth + "'");
    }

    private CrawlOptions options(List<String> seeds) {
        int readTimeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        FetchSettings fetch = FetchSettings.defaults().withTimeouts(connectTimeoutMs, readTimeout).withMaxPageBytes(maxPageBytes)
                .withProxies(proxies());
        if (userAgent != null) fetch = fetch.withUserAgent(userAgent.strip());
        return CrawlOptions.defaults(seeds).withConcurrency(concurrency).withMaxDepth(parseDepth())
                .withMaxPages(maxPages == null ? Long.MAX_VALUE : maxPages).withScope(scope())
                .withPerHost(perHost != null ? perHost : demo ? concurrency : 8).withDelayMs(delayMs)
                .withRespectRobots(!ignoreRobots).withRetries(retries, backoffMs)
                .withFetchTimeout(Duration.ofMillis(timeoutMs)).withFetch(fetch)
                .withSitemaps(sitemaps).withObeyMetaRobots(!ignoreMetaRobots);
    }

    /** The start URLs: arguments (a bad one is an error) then the file's lines (a bad one is reported and skipped). */
    private List<String> seeds(PrintWriter err) {
        List<String> seeds = new ArrayList<>();
        for (String u : urls) {
            String n = Urls.normalize(u);
            if (n == null) throw new UserError("'" + u + "' is not an http(s) URL: give one like http://127.0.0.1:8080/site/");
            seeds.add(n);
        }
        if (urlsFile == null) return seeds;
        List<String> lines;
        try {
            lines = Files.readAllLines(urlsFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("--urls-file " + urlsFile + " does not exist: give a file with one URL per line");
        } catch (MalformedInputException e) {
            throw new UserError("--urls-file " + urlsFile + " is not UTF-8 text: give a text file with one URL per line");
        } catch (IOException e) {
            throw new UserError("cannot read --urls-file " + urlsFile + ": " + e.getMessage());
        }
        int skipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String n = Urls.normalize(line);
            if (n == null) {
                err.printf("railyard crawl: %s:%d: '%s' is not an http(s) URL; skipped%n", urlsFile, i + 1, abbreviate(line));
                skipped++;
            } else {
                seeds.add(n);
            }
        }
        if (skipped > 0) err.printf("railyard crawl: %d line%s of %s skipped%n", skipped, skipped == 1 ? "" : "s", urlsFile);
        err.flush();
        return seeds;
    }

    private CrawlOutput.Resumed openOutput(Path path) {
        try {
            if (Files.isDirectory(path)) throw new UserError("--out " + path + " is a directory: give a file name");
            boolean exists = Files.exists(path) && Files.size(path) > 0;
            if (resume) {
                CrawlOutput.Resumed r = CrawlOutput.resume(path, outputFormat());
                if (r.output().format() != outputFormat() && spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                    r.output().close();
                    throw new UserError("--out " + path + " is a " + r.output().format().label() + " crawl output and --format says "
                            + outputFormat().label() + ": drop --format to continue it as it is");
                }
                return r;
            }
            if (exists && !overwrite && out != null)
                throw new UserError("--out " + path + " already exists: add --resume to continue that crawl, or --overwrite to start again");
            return new CrawlOutput.Resumed(CrawlOutput.create(path, outputFormat()), new CrawlOutput.Contents(List.of(), 0, 0, outputFormat()));
        } catch (CrawlOutput.NotACrawlOutputException | CrawlOutput.OutputInUseException e) {
            throw new UserError(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UserError("cannot write --out " + path + ": its folder does not exist; give a file in an existing, writable folder");
        } catch (AccessDeniedException e) {
            throw new UserError("cannot write --out " + path + ": permission denied; give a file in a writable folder");
        } catch (IOException e) {
            throw new UserError("cannot write --out " + path + " (" + e.getMessage() + "): give a file in a writable folder");
        }
    }

    /** The errors by kind, as the summary says them: {@code "connect 1, http 2"}. */
    private static String errorKinds(CrawlResult r) {
        StringJoiner kinds = new StringJoiner(", ");
        r.errors().forEach((k, v) -> kinds.add(k + " " + v));
        return kinds.toString();
    }

    /** The proxy every start URL is fetched through ({@code host:port}), or null when any goes direct. */
    private static String proxyOfSeeds(CrawlOptions options) {
        String proxy = null;
        for (String seed : options.seeds()) {
            ProxySettings.Route r = options.fetch().proxies().routeFor(seed.substring(0, seed.indexOf(':')), Urls.host(seed));
            if (r == null) return null;
            proxy = r.toString();
        }
        return proxy;
    }

    /** Why a crawl that fetched nothing did: its start URLs' errors (through {@code proxy}, if not null), or robots.txt. */
    static String nothingFetchedReason(CrawlResult r, String proxy) {
        String check = proxy == null ? "check the URL and that its server answers"
                : "every fetch went through the proxy " + proxy + ": check the proxy (--proxy, $http_proxy, $https_proxy) first, then the URL";
        String errors = r.errorCount() > 0 ? "every start URL ended as an error (" + errorKinds(r) + "): " + check : "";
        String robots = r.disallowed() > 0 ? "robots.txt disallows every start URL (--ignore-robots crawls them anyway)" : "";
        return errors.isEmpty() ? robots : robots.isEmpty() ? errors : errors + "; " + robots;
    }

    private String summary(CrawlRun.Outcome o, CrawlOptions options, Path outPath) throws IOException {
        CrawlResult r = o.result();
        StringBuilder s = new StringBuilder();
        String how = switch (r.end()) {
            case "stopped" -> String.format(Locale.ROOT, "STOPPED by a signal after %.3f s: the output holds whole pages only; continue with --resume", r.wallSeconds());
            case "max-pages" -> String.format(Locale.ROOT, "stopped at --max-pages %d after %.3f s", options.maxPages(), r.wallSeconds());
            default -> String.format(Locale.ROOT, "done in %.3f s", r.wallSeconds());
        };
        s.append(String.format(Locale.ROOT, "crawl on %s, C=%d: %s%n", model, options.concurrency(), how));
        s.append(String.format(Locale.ROOT, "  pages    %,d HTML pages, %,d links, %,d not HTML, %,d redirects%s%n", r.pages(), r.links(),
                r.notHtml(), r.redirects(), r.truncated() > 0 ? ", " + r.truncated() + " cut at --max-page-bytes" : ""));
        s.append(String.format(Locale.ROOT, "  errors   %,d%s; %,d retries%n", r.errorCount(), r.errorCount() > 0 ? " (" + errorKinds(r) + ")" : "", r.retries()));
        s.append(String.format(Locale.ROOT, "  skipped  %,d disallowed by robots.txt, %,d on other %s, %,d beyond --depth%s (%,d URLs seen on %,d host%s)%n",
                r.disallowed(), r.offsite(), options.scope().sameDomain() ? "domains" : "hosts", r.tooDeep(),
                r.excluded() > 0 ? String.format(Locale.ROOT, ", %,d by --include/--exclude", r.excluded()) : "",
                r.urlsSeen(), r.origins(), r.origins() == 1 ? "" : "s"));
        if (r.noindex() > 0 || r.nofollow() > 0)
            s.append(String.format(Locale.ROOT, "  robots   %,d pages say noindex, %,d nofollow (%s)%n", r.noindex(), r.nofollow(),
                    options.obeyMetaRobots() ? "their links written, not followed" : "followed: --ignore-meta-robots"));
        if (options.sitemaps())
            s.append(String.format(Locale.ROOT, "  sitemaps %,d read, %,d URLs found there first%n", r.sitemaps(), r.sitemapUrls()));
        if (r.wireBytes() > 0)
            s.append(String.format(Locale.ROOT, "  bytes    %.1f MiB received, %.1f MiB decoded%s%n", r.wireBytes() / 1048576.0, r.decodedBytes() / 1048576.0,
                    r.decodedBytes() > r.wireBytes() ? String.format(Locale.ROOT, " (compression saved %.0f%%)", 100.0 * (1 - (double) r.wireBytes() / r.decodedBytes())) : ""));
        long fetched = r.recorded() - r.held();
        s.append(String.format(Locale.ROOT, "  speed    %,.0f URLs/s%s; peak memory %.1f MiB (process tree)%n",
                r.wallSeconds() > 0 ? fetched / r.wallSeconds() : 0, r.held() > 0 ? " (" + r.held() + " were already in the file)" : "",
                o.peakRssBytes() / 1048576.0));
        s.append(String.format(Locale.ROOT, "  output   %s (%.1f MiB, %s)%s%n", outPath, Files.size(outPath) / 1048576.0, outputFormat().label(),
                out == null ? ", a temporary file removed at the end: give --out FILE to keep it" : ""));
        for (CrawlResult.Limit l : r.limits()) {
            if (l.share() > 0 && l.share() < 0.10) continue; // a limit that held under a tenth of the crawl is noise
            s.append("  limit    ").append(l.describe(options.concurrency())).append(System.lineSeparator());
        }
        AutoscaleReport a = o.autoscale();
        if (a != null) {
            int max = a.decisions().stream().mapToInt(ScalingDecision::to).max().orElse(a.finalDesired());
            s.append(String.format(Locale.ROOT, "  autoscale %s: %d decisions, desired up to %d, %d at the end; peak %.1f of %.1f MiB budget%n",
                    a.mode(), a.decisions().size(), Math.max(max, a.finalDesired()), a.finalDesired(), a.peakRssBytes() / 1048576.0,
                    a.memoryBudgetBytes() / 1048576.0));
        }
        return s.toString();
    }

    /** The summary as one JSON object ({@code --json}): counts by outcome and by host, bytes, retries, the limits that bound the crawl. */
    private Map<String, Object> summaryJson(CrawlRun.Outcome o, CrawlOptions options, Path outPath) throws IOException {
        CrawlResult r = o.result();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model);
        j.put("concurrency", options.concurrency());
        j.put("per_host", options.perHost());
        j.put("end", r.end());
        j.put("wall_s", r.wallSeconds());
        j.put("held", r.held());
        Map<String, Object> outcomes = new LinkedHashMap<>();
        outcomes.put("pages", r.pages());
        outcomes.put("not_html", r.notHtml());
        outcomes.put("redirects", r.redirects());
        outcomes.put("errors", r.errorCount());
        outcomes.put("disallowed", r.disallowed());
        outcomes.put("truncated", r.truncated());
        outcomes.put("noindex", r.noindex());
        outcomes.put("nofollow", r.nofollow());
        j.put("outcomes", outcomes);
        j.put("errors", r.errors());
        j.put("links", r.links());
        j.put("retries", r.retries());
        Map<String, Object> notFollowed = new LinkedHashMap<>();
        notFollowed.put("offsite", r.offsite());
        notFollowed.put("excluded", r.excluded());
        notFollowed.put("too_deep", r.tooDeep());
        j.put("not_followed", notFollowed);
        j.put("urls_seen", r.urlsSeen());
        Map<String, Object> sitemapCounts = new LinkedHashMap<>();
        sitemapCounts.put("read", r.sitemaps());
        sitemapCounts.put("urls", r.sitemapUrls());
        j.put("sitemaps", sitemapCounts);
        Map<String, Object> bytes = new LinkedHashMap<>();
        bytes.put("wire", r.wireBytes());
        bytes.put("decoded", r.decodedBytes());
        bytes.put("output", Files.size(outPath));
        j.put("bytes", bytes);
        Map<String, Object> hosts = new LinkedHashMap<>();
        r.hosts().forEach((origin, h) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fetched", h.fetched());
            m.put("pages", h.pages());
            m.put("errors", h.errors());
            m.put("wire_bytes", h.wireBytes());
            hosts.put(origin, m);
        });
        j.put("hosts", hosts);
        List<Map<String, Object>> limits = new ArrayList<>();
        for (CrawlResult.Limit l : r.limits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("limit", l.limit());
            m.put("share", l.share());
            m.put("setting", l.setting());
            if (!l.origin().isEmpty()) m.put("origin", l.origin());
            if (l.share() > 0) m.put("mean_in_flight", l.meanInFlight());
            if (l.count() > 0) m.put("count", l.count());
            m.put("text", l.describe(options.concurrency()));
            limits.add(m);
        }
        j.put("limits", limits);
        j.put("peak_rss_bytes", o.peakRssBytes());
        j.put("output", outPath.toString());
        j.put("format", outputFormat().label());
        return j;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
