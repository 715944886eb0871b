package io.ekslookout.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Findings as EventBridge events, and those events in {@code PutEvents} batches within the API's limits: at most
 * {@value #MAX_ENTRIES} entries and {@value #MAX_REQUEST_BYTES} bytes per call, the size counted the way AWS does
 * (the UTF-8 bytes of Source, DetailType, Detail and each Resources ARN; the bus name is added to be safe). Pure.
 *
 * <p>An event's detail is the finding in the documented findings JSON shape ({@link FindingJson}) plus
 * {@code cluster}, {@code account}, {@code region} and {@code fingerprint}. An event that alone would pass the
 * request limit (a finding whose rows are huge) keeps fewer rows, halving until it fits, and counts the ones left
 * out in {@code rowsOmitted}; it says so in {@link Entry#shortened()}.
 */
public final class EventEntries {
    public static final String SOURCE = "eks-lookout";
    public static final String DETAIL_TYPE = "EKS Lookout Finding";
    public static final int MAX_ENTRIES = 10;
    public static final int MAX_REQUEST_BYTES = 256 * 1024;

    private EventEntries() {
    }

    /**
     * One event.
     *
     * @param ruleId      the finding's rule (for messages)
     * @param fingerprint the finding's fingerprint
     * @param detail      the detail JSON text
     * @param resources   ARNs the event is about (the cluster's, when known)
     * @param shortened   rows were left out to fit, or null when the event is whole
     */
    public record Entry(String ruleId, String fingerprint, String detail, List<String> resources, String shortened) {
        public Entry {
            resources = List.copyOf(resources);
        }

        /** Its size as PutEvents counts it, plus the bus name. */
        public int size(String busName) {
            int n = bytes(SOURCE) + bytes(DETAIL_TYPE) + bytes(detail) + bytes(busName);
            for (String r : resources) {
                n += bytes(r);
            }
            return n;
        }
    }

    /** The detail object of a finding's event. */
    public static ObjectNode detail(Finding f, ExportContext ctx) {
        ctx = ctx.forFinding(f); // the finding's own cluster
        ObjectNode d = FindingJson.tree(f);
        d.put("cluster", ctx.cluster());
        d.put("account", ctx.account());
        d.put("region", ctx.region());
        d.put("fingerprint", Fingerprint.of(f, ctx.cluster()));
        return d;
    }

    /** A finding's event, shortened to fit one request when it must be. */
    public static Entry entry(Finding f, ExportContext ctx, String busName) {
        ctx = ctx.forFinding(f); // the finding's own cluster
        ObjectNode d = detail(f, ctx);
        String arn = ctx.clusterArn();
        List<String> resources = arn == null ? List.of() : List.of(arn);
        String fp = d.get("fingerprint").asText();
        Entry e = new Entry(f.ruleId(), fp, d.toString(), resources, null);
        ArrayNode rows = (ArrayNode) d.get("rows");
        int kept = rows.size();
        while (e.size(busName) > MAX_REQUEST_BYTES && kept > 0) {
            kept = kept / 2;
            while (rows.size() > kept) {
                rows.remove(rows.size() - 1);
            }
            d.put("rowsOmitted", f.rowsOmitted() + (f.rows().size() - kept));
            e = new Entry(f.ruleId(), fp, d.toString(), resources, (f.rows().size() - kept) + " of "
                    + f.rows().size() + " rows left out to fit EventBridge's 256 KB");
        }
        return e;
    }

    /**
     * Entries in batches: in order, a new batch when the next entry would pass {@value #MAX_ENTRIES} entries or
     * {@value #MAX_REQUEST_BYTES} bytes. An entry too large even alone (a rule title of hundreds of KB) is returned
     * in {@code tooLarge} instead of being sent.
     */
    public static Batches batches(List<Entry> entries, String busName) {
        List<List<Entry>> out = new ArrayList<>();
        List<Entry> tooLarge = new ArrayList<>();
        List<Entry> cur = new ArrayList<>();
        int bytes = 0;
        for (Entry e : entries) {
            int size = e.size(busName);
            if (size > MAX_REQUEST_BYTES) {
                tooLarge.add(e);
                continue;
            }
            if (!cur.isEmpty() && (cur.size() == MAX_ENTRIES || bytes + size > MAX_REQUEST_BYTES)) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(e);
            bytes += size;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return new Batches(out, tooLarge);
    }

    /** The batches to send and the entries too large to send. */
    public record Batches(List<List<Entry>> batches, List<Entry> tooLarge) {
    }

    static int bytes(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
