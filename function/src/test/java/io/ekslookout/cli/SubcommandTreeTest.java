package io.ekslookout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Main#forArgs} builds only the subcommand {@code args[0]} names (a faster start): every command line must
 * behave exactly as with the full tree — the same stdout, stderr and exit code, byte for byte — for every
 * subcommand's help, bad options and arguments, {@code help CMD}, and real runs.
 */
class SubcommandTreeTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void theNamesAreTheCommandsOwnInTheUsageOrder() {
        Map<String, Class<?>> byName = Main.subcommands();
        for (Map.Entry<String, Class<?>> e : byName.entrySet()) {
            assertThat(e.getValue().getAnnotation(CommandLine.Command.class).name()).isEqualTo(e.getKey());
        }
        assertThat(Main.commandLine(Map.<String, String>of()::get).getSubcommands().keySet())
                .containsExactlyElementsOf(byName.keySet())
                .containsExactly("help", "query", "scan", "hunt", "test", "validate", "plan", "sigma");
    }

    @Test
    void aKnownSubcommandIsBuiltAloneALoneVersionWithNoneAnythingElseWithAll() {
        assertThat(Main.forArgs(Map.<String, String>of()::get, "query", "--help").getSubcommands().keySet())
                .containsExactly("query");
        assertThat(Main.forArgs(Map.<String, String>of()::get, "sigma", "import").getSubcommands().keySet())
                .containsExactly("sigma");
        assertThat(Main.forArgs(Map.<String, String>of()::get, "--version").getSubcommands()).isEmpty();
        assertThat(Main.forArgs(Map.<String, String>of()::get, "-V").getSubcommands()).isEmpty();
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"--version", "query"},
                new String[] {"-V", "-h"}, new String[] {"help", "query"}, new String[] {"frobnicate"},
                new String[] {"Query"})) {
            assertThat(Main.forArgs(Map.<String, String>of()::get, args).getSubcommands()).as(String.join(" ", args))
                    .hasSize(Main.subcommands().size());
        }
    }

    @Test
    void everyCommandLinePrintsAndExitsAsWithTheFullTree() throws IOException {
        List<List<String>> cases = cases();
        for (List<String> c : cases) {
            String[] args = c.toArray(String[]::new);
            Outcome full = run(Main.commandLine(Map.<String, String>of()::get), args);
            Outcome chosen = run(Main.forArgs(Map.<String, String>of()::get, args), args);
            assertThat(chosen).as(String.join(" ", args)).isEqualTo(full);
        }
        assertThat(cases).hasSizeGreaterThan(100);
    }

    private List<List<String>> cases() throws IOException {
        long ts = 1795161606985L;
        Path logs = dir.resolve("logs.jsonl");
        Files.writeString(logs, "{\"logStreamName\":\"kube-apiserver-audit-1\",\"timestamp\":" + ts + ",\"message\":"
                + "\"{\\\"verb\\\":\\\"delete\\\",\\\"user\\\":{\\\"username\\\":\\\"alice\\\"}}\"}\n"
                + "not json\n");
        String l = logs.toString();
        String rules = ROOT.resolve("rules").toString();
        String samples = ROOT.resolve("samples/eks-demo.jsonl.gz").toString();
        List<List<String>> c = new ArrayList<>();
        List<String> names = new ArrayList<>(Main.subcommands().keySet());
        names.add("sigma import");
        for (String name : names) {
            List<String> command = List.of(name.split(" "));
            for (List<String> tail : List.of(List.<String>of(), List.of("--help"), List.of("-h"), List.of("-V"),
                    List.of("--version"), List.of("--bogus"), List.of("--logs"), List.of("--rules"),
                    List.of("--help", "--bogus"), List.of("extra", "args"), List.of("query"), List.of("scan"),
                    List.of("help"), List.of("--format", "xml"), List.of("--logs", dir.resolve("none").toString()),
                    List.of("--fail-on", "loud"), List.of("--max-groups", "x"), List.of("--lookback=abc"))) {
                List<String> args = new ArrayList<>(command);
                args.addAll(tail);
                c.add(args);
            }
            c.add(List.of("help", name.split(" ")[0]));
        }
        c.addAll(List.of(List.of(), List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"),
                List.of("--version", "query"), List.of("-V", "--bogus"), List.of("query", "--version"),
                List.of("frobnicate"), List.of("qurey", "--logs", l), List.of("Query"), List.of("--bogus"),
                List.of("help", "nope"), List.of("help", "sigma", "import"), List.of("sigma", "nope"),
                List.of("query", "--logs", l, "fields user.username"),
                List.of("query", "--logs", l, "--format", "csv", "stats count(*) as n by verb"),
                List.of("query", "--logs", l, "fields |"),
                List.of("query", "--logs", samples, "filter @logStream like /authenticator/ | stats count(*) as n"),
                List.of("query", "--logs", samples, "--format", "json", "fields @timestamp, verb | limit 5"),
                List.of("scan", "--rules", rules, "--logs", samples),
                List.of("scan", "--rules", rules, "--logs", l, "--format", "json"),
                List.of("scan", "--rules", rules, "--cluster", "x", "--throttle-timeout", "soon"),
                List.of("hunt", "--rules", rules),
                List.of("hunt", "nope", "--rules", rules, "--logs", l),
                List.of("validate", rules), List.of("test", rules, "--only", "nope"),
                List.of("plan", "--rules", rules),
                List.of("sigma", "import", "src/test/resources/sigma/good", "--out", dir.resolve("out").toString(),
                        "--force"),
                List.of("sigma", "import", "src/test/resources/sigma/good")));
        return c;
    }
}
