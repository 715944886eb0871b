import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * scan's one-read design against its baseline, measured in the same run on the same corpus: all rules through one
 * LocalBackend read (one QueryBatch: each event's JSON parsed at most once) vs each rule with its own read (what
 * running the rules one by one would cost). Also checks both give the same findings.
 *
 *   java -cp function/target/eks-lookout.jar bench/ScanBench.java CORPUS [RULES_DIR] [ROUNDS]
 */
public final class ScanBench {
    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        RuleSet set = RuleLoader.loadDirectory(Path.of(args.length > 1 ? args[1] : "rules"));
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Rule> rules = set.enabledRules();
        long bytes = Files.size(corpus);
        System.out.printf("corpus %s (%.1f MB on disk), %d rules, best of %d rounds%n", corpus, bytes / 1e6,
                rules.size(), rounds);
        long bestOne = Long.MAX_VALUE;
        long bestEach = Long.MAX_VALUE;
        long findingsOne = -1;
        long findingsEach = -1;
        long events = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            Detector.Detection d = new Detector(new LocalBackend(LocalLogs.open(corpus)))
                    .detect(rules, LocalBackend.WHOLE_INPUT, null, null);
            DetectionReport one = d.report();
            bestOne = Math.min(bestOne, System.nanoTime() - t0);
            findingsOne = one.totalMatches();
            events = d.batch().readReport().events();

            t0 = System.nanoTime();
            long matches = 0;
            for (Rule rule : rules) {
                DetectionReport each = new Detector(new LocalBackend(LocalLogs.open(corpus)))
                        .run(List.of(rule), LocalBackend.WHOLE_INPUT, null);
                matches += each.totalMatches();
            }
            bestEach = Math.min(bestEach, System.nanoTime() - t0);
            findingsEach = matches;
        }
        System.out.printf("one read for all rules : %7.2f s  (%,d events, %.0f events/s)%n", bestOne / 1e9, events,
                events / (bestOne / 1e9));
        System.out.printf("one read per rule      : %7.2f s  (baseline)%n", bestEach / 1e9);
        System.out.printf("speed-up               : %7.2f x%n", (double) bestEach / bestOne);
        System.out.printf("matches                : %d vs %d (%s)%n", findingsOne, findingsEach,
                findingsOne == findingsEach ? "same" : "DIFFERENT");
        if (findingsOne != findingsEach) {
            System.exit(1);
        }
    }
}
