package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of generated hostile requests against the HTTP API and its filter language: deep
 * nesting, huge numbers and ranges, long expressions, odd encodings, invalid UTF-8, NUL bytes,
 * text after the JSON, Jetty-level oddities. Each must get a 4xx JSON error that names nothing of
 * the server's insides, never a 500, and nothing may be recorded.
 */
class HostileInputTest {
    static final Pattern LEAK = Pattern.compile(
            "(?i)jackson|fasterxml|com\\.[a-z]|java\\.|dev\\.nnlab|exception|feature|constraints|\\.java:|\\tat |\\bat [a-z]+\\.[a-z]+\\.");
    static final String VALID = """
            {"name":"ok","family":"mlp","dataset":"spirals","epochs":1,"params":{"logEvery":5}}""";
    /** Parameters with ten valid values each, to build grids that multiply out. */
    static final Map<String, String> AXES = Map.ofEntries(
            Map.entry("lr", "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0]"),
            Map.entry("momentum", "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.85,0.9]"),
            Map.entry("batchSize", "[1,2,3,4,5,6,7,8,9,10]"),
            Map.entry("weightDecay", "[0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]"),
            Map.entry("epochs", "[1,2,3,4,5,6,7,8,9,10]"),
            Map.entry("seed", "[1,2,3,4,5,6,7,8,9,10]"),
            Map.entry("logEvery", "[1,2,3,4,5,6,7,8,9,10]"),
            Map.entry("clipNorm", "[0,1,2,3,4,5,6,7,8,9]"),
            Map.entry("lrStepEpochs", "[1,2,3,4,5,6,7,8,9,10]"),
            Map.entry("valFraction", "[0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]"));

    @TempDir
    static Path dir;
    static TestServer t;
    static long runId;

    /** One hostile request: what it is, and how to send it. */
    record Case(String what, Send send) {}

    @FunctionalInterface
    interface Send {
        Answer go();
    }

    record Answer(int status, String contentType, String body) {}

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Experiment e = t.wb.store().experiments().getOrCreate("target", null);
        runId = t.wb.store().runs().create(new NewRun(e.id(), "target", "mlp", null, null, Map.of("lr", 0.1))).id();
        t.wb.store().runs().finish(runId, RunStatus.FINISHED, null);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Answer http(HttpRequest.Builder b) {
        HttpResponse<String> r = t.send(b.timeout(Duration.ofSeconds(60)).build());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static Case post(String what, String path, byte[] body) {
        return new Case(what, () -> http(t.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    static Case post(String what, String path, String body) {
        return post(what, path, body.getBytes(StandardCharsets.UTF_8));
    }

    static Case get(String what, String pathAndQuery) {
        return new Case(what, () -> http(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.port() + pathAndQuery)).GET()));
    }

    static Case raw(String what, String head, byte[] body) {
        return new Case(what, () -> {
            RawHttp.Answer a = RawHttp.send(t.server.port(), head, body);
            return new Answer(a.status(), String.valueOf(a.header("Content-Type")), a.body());
        });
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            else if (p instanceof int[] b) for (int x : b) out.write(x);
            else if (p instanceof byte[] b) out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static String spec(String params) {
        return "{\"name\":\"hostile\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{" + params + "}}";
    }

    static String enc(String s) {
        return TestServer.enc(s);
    }

    static List<Case> specBodies() {
        List<Case> c = new ArrayList<>();
        String runs = "/api/runs";
        // Deep nesting, below, at and beyond the parser's limit.
        for (int d : new int[]{2, 10, 50, 200, 999, 1000, 1001, 5000, 100_000}) {
            c.add(post("lr nested in " + d + " lists", runs, spec("\"lr\":" + "[".repeat(d) + "]".repeat(d))));
            c.add(post("name nested in " + d + " objects", runs, "{\"name\":" + "{\"a\":".repeat(d) + "1" + "}".repeat(d) + "}"));
            c.add(post("grid value nested " + d + " deep", runs, "{\"name\":\"g\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{\"lr\":["
                    + "[".repeat(d) + "0.1" + "]".repeat(d) + "]}}"));
        }
        // Huge numbers in every numeric place.
        String[] huge = {"1e400", "-1e400", "1e309", "123456789012345678901234567890", "-123456789012345678901234567890",
                "9".repeat(400), "0." + "0".repeat(2000) + "1e99999"};
        for (String field : List.of("lr", "epochs", "batchSize", "momentum", "seed", "logEvery", "clipNorm")) {
            for (String n : huge) c.add(post(field + " = " + n.substring(0, Math.min(20, n.length())), runs, spec("\"" + field + "\":" + n)));
        }
        for (String n : huge) {
            c.add(post("top-level epochs " + n.substring(0, Math.min(20, n.length())), runs,
                    "{\"name\":\"e\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":" + n + "}"));
            c.add(post("seeds [" + n.substring(0, Math.min(20, n.length())) + "]", runs,
                    "{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"seeds\":[" + n + "]}"));
            c.add(post("random trials " + n.substring(0, Math.min(20, n.length())), runs,
                    "{\"name\":\"r\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"random\":{\"trials\":" + n
                            + ",\"params\":{\"lr\":{\"logUniform\":[0.001,0.1]}}}}"));
        }
        // Huge ranges: grids that multiply out beyond the limit, distributions beyond the schema.
        List<String> axes = new ArrayList<>(AXES.keySet());
        Collections.sort(axes);
        for (int k = 5; k <= axes.size(); k++) {
            StringBuilder grid = new StringBuilder();
            for (int i = 0; i < k; i++) grid.append(i == 0 ? "" : ",").append('"').append(axes.get(i)).append("\":").append(AXES.get(axes.get(i)));
            c.add(post("a grid of 10^" + k + " trials", runs, "{\"name\":\"big\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{" + grid + "}}"));
        }
        StringBuilder seeds = new StringBuilder();
        for (int i = 0; i < 10_000; i++) seeds.append(i == 0 ? "" : ",").append(i);
        c.add(post("10^4 seeds x 10^5 random trials", runs, "{\"name\":\"many\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"seeds\":["
                + seeds + "],\"random\":{\"trials\":100000,\"params\":{\"lr\":{\"logUniform\":[0.001,0.1]}}}}"));
        for (String dist : List.of("{\"logUniform\":[1e-300,1e300]}", "{\"uniform\":[0,1e400]}", "{\"uniform\":[-1e400,1]}",
                "{\"logUniform\":[0,1]}", "{\"logUniform\":[1,0.5]}", "{\"intUniform\":[-1e12,1e12]}", "{\"uniform\":[1,1]}",
                "{\"intUniform\":[0.5,3]}", "{\"choice\":[]}", "{\"choice\":[1e400]}", "{\"logUniform\":[1e-3]}", "{\"uniform\":\"wide\"}")) {
            String param = dist.contains("intUniform") ? "epochs" : "lr";
            c.add(post("random " + param + " " + dist, runs, "{\"name\":\"d\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"random\":{\"trials\":2,"
                    + "\"params\":{\"" + param + "\":" + dist + "}}}"));
        }
        // Long text.
        for (int n : new int[]{201, 10_000, 500_000}) c.add(post("a name of " + n + " characters", runs,
                "{\"name\":\"" + "n".repeat(n) + "\",\"family\":\"mlp\",\"dataset\":\"spirals\"}"));
        c.add(post("a family name of 100k characters", runs, "{\"name\":\"f\",\"family\":\"" + "f".repeat(100_000) + "\",\"dataset\":\"spirals\"}"));
        c.add(post("a parameter name of 100k characters", runs, spec("\"" + "p".repeat(100_000) + "\":1")));
        c.add(post("a body over the size limit", runs, "{\"name\":\"" + "x".repeat(2 << 20) + "\"}"));
        c.add(post("50k parameters", runs, spec(String.join(",", Collections.nCopies(50_000, "\"lr\":0.1")))));
        // Odd encodings, invalid UTF-8 and NUL bytes.
        int[][] badUtf8 = {{0xff}, {0xc0, 0x80}, {0xed, 0xa0, 0x80}, {0xe2, 0x82}, {0xf8, 0x88, 0x80, 0x80, 0x80}, {0x80}, {0xfe, 0xff}};
        for (int[] b : badUtf8) {
            c.add(post("invalid UTF-8 " + java.util.Arrays.toString(b) + " in a name", runs,
                    bytes("{\"name\":\"a", b, "\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}")));
        }
        c.add(post("a spec in UTF-16LE", runs, VALID.getBytes(StandardCharsets.UTF_16LE)));
        c.add(post("a spec in UTF-16 with its BOM", runs, VALID.getBytes(StandardCharsets.UTF_16)));
        c.add(post("a BOM before a broken spec", runs, bytes(new int[]{0xef, 0xbb, 0xbf}, "{\"name\":")));
        c.add(post("a raw NUL inside a string", runs, bytes("{\"name\":\"a", new int[]{0}, "b\",\"family\":\"mlp\",\"dataset\":\"spirals\"}")));
        c.add(post("an escaped NUL in the name", runs, "{\"name\":\"a\\u0000b\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}"));
        c.add(post("an escaped NUL in the description", runs, "{\"name\":\"a\",\"description\":\"x\\u0000\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}"));
        c.add(post("a lone high surrogate in the name", runs, "{\"name\":\"a\\ud800\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}"));
        c.add(post("a lone low surrogate in the description", runs, "{\"name\":\"a\",\"description\":\"\\udc00\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}"));
        c.add(post("a NUL after the object", runs, bytes(VALID, new int[]{0})));
        c.add(post("a line break in the name", runs, "{\"name\":\"a\\nb\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1}"));
        // Text after the JSON value.
        for (String tail : List.of(" garbage", "{}", VALID, " {\"a\":1}", ",", "]", "}", " null", " 1", "\n#", " // c", "\"")) {
            c.add(post("text after the object: " + tail.strip(), runs, VALID + tail));
        }
        // Not an object, or the wrong types.
        for (String body : List.of("", " ", "null", "[]", "\"spec\"", "1", "true", "{", "}", "{\"name\":}", "[" + VALID + "]",
                "{\"name\":5,\"family\":\"mlp\",\"dataset\":\"spirals\"}",
                "{\"name\":\"t\",\"family\":[],\"dataset\":\"spirals\"}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":\"x\"}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{\"lr\":5}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{\"lr\":[]}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"seeds\":\"a\"}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"seeds\":[1.5]}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"variants\":{}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"random\":{\"trials\":0}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"earlyStopping\":{\"metric\":\"x\"}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"extra\":1}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"no-such-data\"}",
                "{\"name\":\"t\",\"family\":\"no-such-family\",\"dataset\":\"spirals\"}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{\"hidden\":[[1]]}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{\"lr\":null}}",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{\"lr\":{\"a\":1}}}",
                "{\"name\":\"t\",\"name\":\"u\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{\"lr\":-1}}")) {
            c.add(post("wrong shape: " + body.substring(0, Math.min(60, body.length())), runs, body));
        }
        return c;
    }

    static List<Case> annotationBodies() {
        List<Case> c = new ArrayList<>();
        String tags = "/api/runs/" + runId + "/tags";
        String notes = "/api/runs/" + runId + "/notes";
        for (String body : List.of("", "{}", "[]", "null", "{\"key\":\"\",\"value\":\"v\"}", "{\"key\":\" \",\"value\":\"v\"}",
                "{\"key\":\"" + "k".repeat(201) + "\",\"value\":\"v\"}", "{\"key\":\"k\",\"value\":\"" + "v".repeat(2001) + "\"}",
                "{\"key\":\"a\\u0000b\",\"value\":\"v\"}", "{\"key\":\"k\",\"value\":\"\\u0000\"}", "{\"key\":\"a\\nb\",\"value\":\"v\"}",
                "{\"key\":5,\"value\":\"v\"}", "{\"key\":\"k\",\"value\":[1]}", "{\"key\":\"k\",\"value\":\"v\",\"extra\":1}",
                "{\"key\":\"k\",\"value\":\"v\"} garbage", "{\"key\":\"k\",\"value\":\"v\"}{\"key\":\"k2\",\"value\":\"v\"}",
                "{\"key\":\"k\",\"value\":1e400}", "{\"key\":\"k\",\"value\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                "{\"key\":\"\\ud800\",\"value\":\"v\"}", "{\"key\":\"k\"}")) {
            c.add(post("tag " + body.substring(0, Math.min(50, body.length())), tags, body));
        }
        c.add(post("tag with invalid UTF-8", tags, bytes("{\"key\":\"k", new int[]{0xff}, "\",\"value\":\"v\"}")));
        for (String body : List.of("", "{}", "{\"text\":\"\"}", "{\"text\":\"   \"}", "{\"text\":null}", "{\"text\":5}",
                "{\"text\":\"" + "t".repeat(100_001) + "\"}", "{\"text\":\"a\"} {\"text\":\"b\"}", "{\"text\":\"a\\u0000\"}",
                "{\"text\":\"a\",\"extra\":true}")) {
            c.add(post("note " + body.substring(0, Math.min(50, body.length())), notes, body));
        }
        c.add(post("note with invalid UTF-8", notes, bytes("{\"text\":\"", new int[]{0xc3}, "\"}")));
        c.add(post("tag on a run id that is not a number", "/api/runs/abc/tags", "{\"key\":\"k\",\"value\":\"v\"}"));
        c.add(post("tag on a run id beyond a long", "/api/runs/99999999999999999999999/tags", "{\"key\":\"k\",\"value\":\"v\"}"));
        c.add(post("note on a missing run", "/api/runs/987654/notes", "{\"text\":\"x\"}"));
        return c;
    }

    static List<Case> filters() {
        List<Case> c = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int d : new int[]{65, 100, 1000, 1900}) bad.add("(".repeat(d) + "seed = 1" + ")".repeat(d));
        for (int d : new int[]{65, 500, 1300}) bad.add("not ".repeat(d) + "seed = 1");
        for (int n : new int[]{101, 200, 300}) bad.add(String.join(" or ", Collections.nCopies(n, "seed = 1")));
        for (int n : new int[]{101, 200}) bad.add(String.join(" and ", Collections.nCopies(n, "params.lr < 1")));
        for (int n : new int[]{501, 1000}) bad.add("seed in (" + String.join(",", Collections.nCopies(n, "1")) + ")");
        bad.add("name = '" + "x".repeat(5000) + "'");
        for (String n : List.of("1e999", "-1e400", "1e309", "1e", "1.2.3", "--1", "0x10", "1_000")) bad.add("params.lr < " + n);
        bad.addAll(List.of("params.", "params", "metrics.val_acc.max", "metrics..last > 1", "seed =", "= 1", "seed = 1 and",
                "seed = 1 or or seed = 2", "(seed = 1", "seed = 1)", "name = 'unterminated", "name = \"x", "status = 'RUNNINGX'",
                "seed = true", "metrics.loss = 'a'", "seed in ()", "seed in (1,", "seed not = 1", "unknown = 1", "params.`x = 1",
                "seed = 1; DROP TABLE runs", "seed ~ 1", "seed = 1 \u0000", "\u0000", "seed\u0007 = 1", "name = \ud800",
                "params.lr < 1 " + "x".repeat(3000), "\u202eseed = 1", "seed = \uff11", "seed = ١"));
        for (String f : bad) c.add(get("filter " + f.substring(0, Math.min(50, f.length())), "/api/runs?filter=" + enc(f)));
        for (String q : List.of("%ff", "%c0%80", "%ed%a0%80", "%e2%82", "%00", "%", "%zz", "seed%20%3D%20%ff")) {
            c.add(raw("raw filter " + q, "GET /api/runs?filter=" + q + " HTTP/1.1\r\n", null));
        }
        for (String s : List.of("metrics.", "seed desc desc", "seed; drop", "params.", "sideways", "metrics.`x desc", "id up", "\u0000")) {
            c.add(get("sort " + s, "/api/runs?sort=" + enc(s)));
        }
        for (String q : List.of("limit=0", "limit=100000", "limit=1e3", "limit=-1", "offset=-1", "limit=99999999999", "offset=abc", "limit=%00")) {
            c.add(get("list " + q, "/api/runs?" + q));
        }
        String metrics = "/api/runs/" + runId + "/metrics?";
        for (String q : List.of("maxPoints=0", "maxPoints=1000000000", "maxPoints=abc", "raw=maybe", "maxPoints=-5")) {
            c.add(get("metrics " + q, metrics + q));
        }
        return c;
    }

    static List<Case> protocol() {
        List<Case> c = new ArrayList<>();
        c.add(raw("a URI of 100k characters", "GET /api/runs?filter=" + "a".repeat(100_000) + " HTTP/1.1\r\n", null));
        c.add(raw("a header of 100k characters", "GET /api/runs HTTP/1.1\r\nX-Big: " + "b".repeat(100_000) + "\r\n", null));
        c.add(raw("an encoded dot-dot path", "GET /api/runs/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n", null));
        c.add(raw("an encoded slash in the id", "GET /api/runs/1%2F2 HTTP/1.1\r\n", null));
        c.add(raw("an invalid escape in the path", "GET /api/runs/%zz HTTP/1.1\r\n", null));
        c.add(raw("invalid UTF-8 in the path", "GET /api/runs/%ff%fe HTTP/1.1\r\n", null));
        c.add(raw("a NUL in the path", "GET /api/runs/%00 HTTP/1.1\r\n", null));
        c.add(raw("a semicolon path parameter", "GET /api/runs/1;x=..%2f HTTP/1.1\r\n", null));
        c.add(raw("an unknown method", "FOO /api/runs HTTP/1.1\r\n", null));
        c.add(raw("PUT on the runs list", "PUT /api/runs HTTP/1.1\r\nContent-Type: application/json\r\n", VALID.getBytes(StandardCharsets.UTF_8)));
        c.add(raw("PATCH on a run", "PATCH /api/runs/" + runId + " HTTP/1.1\r\nContent-Type: application/json\r\n", "{}".getBytes(StandardCharsets.UTF_8)));
        c.add(raw("DELETE on the runs list", "DELETE /api/runs HTTP/1.1\r\n", null));
        c.add(raw("GET on stop", "GET /api/runs/" + runId + "/stop HTTP/1.1\r\n", null));
        c.add(raw("a run id beyond a long", "GET /api/runs/123456789012345678901234567890 HTTP/1.1\r\n", null));
        c.add(raw("a negative run id", "GET /api/runs/-1 HTTP/1.1\r\n", null));
        c.add(raw("the live stream without its Accept", "GET /api/live HTTP/1.1\r\n", null));
        c.add(raw("a bad Content-Length", "POST /api/runs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n", null));
        return c;
    }

    @Test
    void every_hostile_request_gets_a_4xx_json_error_naming_nothing_internal_and_nothing_is_recorded() throws Exception {
        List<Case> cases = new ArrayList<>();
        cases.addAll(specBodies());
        cases.addAll(annotationBodies());
        cases.addAll(filters());
        cases.addAll(protocol());
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        long runsBefore = SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
        long experimentsBefore = SchemaQueries.count(dir.resolve("nnlab.db"), "experiments");

        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            Answer a;
            try {
                a = c.send().go();
            } catch (RuntimeException e) {
                problems.add(c.what() + ": the request failed: " + e);
                continue;
            }
            String body = a.body() == null ? "" : a.body();
            String shown = body.substring(0, Math.min(300, body.length()));
            if (a.status() < 400 || a.status() >= 500) {
                problems.add(c.what() + ": HTTP " + a.status() + " " + shown);
                continue;
            }
            if (!a.contentType().startsWith("application/json")) {
                problems.add(c.what() + ": HTTP " + a.status() + " answered " + a.contentType() + ": " + shown);
                continue;
            }
            JsonNode json;
            try {
                json = TestServer.JSON.readTree(body);
            } catch (Exception e) {
                problems.add(c.what() + ": HTTP " + a.status() + " not JSON: " + shown);
                continue;
            }
            if (!json.path("error").isTextual() || !json.path("message").isTextual()) {
                problems.add(c.what() + ": HTTP " + a.status() + " without error and message: " + shown);
            } else if (LEAK.matcher(json.get("message").asText()).find()) {
                problems.add(c.what() + ": the message names internals: " + json.get("message").asText());
            }
        }
        assertThat(problems).as("of %d hostile requests", cases.size()).isEmpty();
        assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "runs")).isEqualTo(runsBefore);
        assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "experiments")).isEqualTo(experimentsBefore);
        assertThat(t.wb.store().annotations().tags(runId)).isEmpty();
        assertThat(t.wb.store().annotations().notes(runId)).isEmpty();
        assertThat(t.get("/api/runs").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void the_445_byte_spec_of_10_to_the_8_trials_is_refused_at_once_with_the_count_and_the_limit() {
        List<String> axes = new ArrayList<>(AXES.keySet());
        Collections.sort(axes);
        StringBuilder grid = new StringBuilder();
        for (int i = 0; i < 8; i++) grid.append(i == 0 ? "" : ",").append('"').append(axes.get(i)).append("\":").append(AXES.get(axes.get(i)));
        String spec = "{\"name\":\"huge\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{" + grid + "}}";
        assertThat(spec.length()).isLessThan(600);
        long start = System.nanoTime();
        HttpResponse<String> r = t.post("/api/runs", spec);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(r).get("message").asText()).contains("100000000 (").contains("at most 10000");
        assertThat(millis).as("counted, not built").isLessThan(2000);
    }

    @Test
    void text_after_the_json_object_is_refused_and_one_object_alone_is_accepted() {
        HttpResponse<String> garbage = t.post("/api/runs", VALID + " garbage");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(garbage).get("message").asText()).contains("text after the JSON value").contains("line 1");
        assertThat(t.post("/api/runs", VALID + VALID).statusCode()).isEqualTo(400);
        HttpResponse<String> ok = t.post("/api/runs", VALID + "\n");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        long id = TestServer.json(ok).get("runIds").get(0).asLong();
        assertThat(t.delete("/api/runs/" + id).statusCode()).isIn(204, 409);
    }

    @Test
    void an_unknown_method_is_405_and_jetty_errors_on_api_paths_are_json() {
        RawHttp.Answer foo = RawHttp.send(t.server.port(), "FOO /api/runs HTTP/1.1\r\n");
        assertThat(foo.status()).isEqualTo(405);
        assertThat(foo.body()).contains("\"error\":\"method_not_allowed\"");
        RawHttp.Answer put = RawHttp.send(t.server.port(), "PUT /api/runs/" + runId + " HTTP/1.1\r\nContent-Type: application/json\r\n",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).isEqualTo(405);
        RawHttp.Answer tooLong = RawHttp.send(t.server.port(), "GET /api/runs?filter=" + "a".repeat(100_000) + " HTTP/1.1\r\n");
        assertThat(tooLong.status()).isIn(414, 431);
        assertThat(tooLong.header("Content-Type")).startsWith("application/json");
        assertThat(tooLong.body()).contains("\"error\":\"");
        assertThat(t.get("/api/no/such/thing").statusCode()).isEqualTo(404);
    }
}
