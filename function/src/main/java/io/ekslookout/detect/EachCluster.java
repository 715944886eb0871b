package io.ekslookout.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several clusters one query per rule each (the unplanned path, {@code --no-plan} / {@code PLAN=false}): the batch
 * runs on each cluster's own back end in turn, and every entry is answered with one outcome per cluster (in the
 * clusters' order), each naming its cluster. What the back ends scanned is summed; a problem that halted one
 * cluster's batch (every call would meet it) halts the rest.
 */
public final class EachCluster implements QueryBackend {
    private final Map<String, QueryBackend> clusters;

    /** @param clusters cluster name → the back end reading its log group, in order */
    public EachCluster(Map<String, QueryBackend> clusters) {
        this.clusters = new LinkedHashMap<>(Objects.requireNonNull(clusters));
        if (this.clusters.isEmpty()) {
            throw new IllegalArgumentException("at least one cluster");
        }
    }

    @Override
    public BatchResult run(Batch batch) {
        List<List<QueryOutcome>> perEntry = new ArrayList<>();
        batch.entries().forEach(e -> perEntry.add(new ArrayList<>()));
        List<String> warnings = new ArrayList<>();
        ScanStats scan = ScanStats.NONE;
        BatchResult.Halt halted = null;
        TimeWindow covered = null;
        for (Map.Entry<String, QueryBackend> c : clusters.entrySet()) {
            if (halted != null) {
                break;
            }
            BatchResult r = c.getValue().run(batch);
            covered = covered != null ? covered : r.coveredWindow();
            scan = scan.plus(r.scan());
            r.warnings().forEach(w -> warnings.add(c.getKey() + ": " + w));
            halted = r.halted();
            for (int i = 0; i < batch.entries().size(); i++) {
                Batch.Entry e = batch.entries().get(i);
                perEntry.get(i).add(QueryOutcome.at(r.outcomes(), i, e.id()).withCluster(c.getKey()));
            }
        }
        List<QueryOutcome> all = new ArrayList<>();
        perEntry.forEach(all::addAll);
        return new BatchResult(all, covered != null ? covered : batch.window(), warnings, null, scan, null, halted);
    }
}
