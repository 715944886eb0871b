package io.ekslookout.sigma;

import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.YamlTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code sigma import}: converts Sigma files (or every {@code .yml}/{@code .yaml} file under a directory) into
 * {@code OUT/<id>.yaml} rule files. Each file is converted whole or refused with its located reasons; the good ones
 * are written even when others are refused. An existing file is never overwritten unless {@code force}; two inputs
 * that make the same rule id are a refusal of the second.
 */
public final class SigmaImport {
    /** Inputs under a directory past this many files are refused (a typo'd path such as / must not walk a disk). */
    static final int MAX_FILES = 10_000;

    /** One written rule. */
    public record Written(String source, String id, Path file) {
    }

    /** What an import did: the rules written and the located reasons for every file refused. */
    public record Report(List<Written> written, List<RuleProblem> problems, int refusedFiles) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private SigmaImport() {
    }

    public static Report run(List<Path> inputs, Path outDir, boolean force) {
        List<RuleProblem> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            collect(in, files, problems);
        }
        List<Written> written = new ArrayList<>();
        Map<String, String> idFrom = new HashMap<>();
        int refused = problems.isEmpty() ? 0 : (int) problems.stream().map(RuleProblem::file).distinct().count();
        if (!files.isEmpty()) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException | RuntimeException e) {
                problems.add(new RuleProblem(outDir.toString(), 1, 1, "cannot create the output directory: "
                        + e.getMessage()));
                return new Report(written, problems, refused + files.size());
            }
        }
        for (Path f : files) {
            String name = f.toString();
            String text;
            try {
                long size = Files.size(f);
                if (size > YamlTree.MAX_FILE_BYTES) {
                    problems.add(new RuleProblem(name, 1, 1, "file is " + size + " bytes, the limit is "
                            + YamlTree.MAX_FILE_BYTES + " bytes (256 KiB)"));
                    refused++;
                    continue;
                }
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                problems.add(new RuleProblem(name, 1, 1, "cannot read: " + e.getMessage()));
                refused++;
                continue;
            }
            SigmaConverter.Result r = SigmaConverter.convert(name, text);
            if (!r.ok()) {
                problems.addAll(r.problems());
                refused++;
                continue;
            }
            String id = r.rule().id();
            String earlier = idFrom.putIfAbsent(id, name);
            Path target = outDir.resolve(id + ".yaml");
            if (earlier != null) {
                problems.add(new RuleProblem(name, 1, 1, "makes the rule id '" + id + "', as " + earlier
                        + " does: give the Sigma rules different titles or ids"));
                refused++;
                continue;
            }
            if (Files.exists(target) && !force) {
                problems.add(new RuleProblem(name, 1, 1, target + " already exists: give --force to overwrite it"));
                refused++;
                continue;
            }
            try {
                write(target, r.rule().yaml());
                written.add(new Written(name, id, target));
            } catch (IOException | RuntimeException e) {
                problems.add(new RuleProblem(name, 1, 1, "cannot write " + target + ": " + e.getMessage()));
                refused++;
            }
        }
        return new Report(written, problems, refused);
    }

    /** Writes through a temporary file in the same directory, so a reader never sees half a rule. */
    private static void write(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".sigma-import-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void collect(Path in, List<Path> files, List<RuleProblem> problems) {
        if (Files.isRegularFile(in)) {
            files.add(in);
            return;
        }
        if (!Files.isDirectory(in)) {
            problems.add(new RuleProblem(in.toString(), 1, 1, "no such file or directory"));
            return;
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(in, 32, new FileVisitOption[0])) {
            found = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yml")
                            || p.getFileName().toString().endsWith(".yaml"))
                    .limit(MAX_FILES + 1L)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(in.toString(), 1, 1, "cannot list: " + e.getMessage()));
            return;
        }
        if (found.size() > MAX_FILES) {
            problems.add(new RuleProblem(in.toString(), 1, 1, "more than " + MAX_FILES + " .yml/.yaml files: give a"
                    + " smaller directory"));
            return;
        }
        if (found.isEmpty()) {
            problems.add(new RuleProblem(in.toString(), 1, 1, "no .yml or .yaml files in this directory"));
            return;
        }
        files.addAll(found);
    }
}
