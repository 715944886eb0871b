package io.ekslookout.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alert state in a local JSON file ({@code scan --state PATH}). A missing file is an empty state; a file that is not
 * this format is an error naming the file, line and column, never silently reset (resetting would re-alert on
 * everything). {@link #flush()} writes a temporary file beside it and renames it over the old one, so a crash
 * leaves the old state or the new one, never half a file. Expired entries are dropped when written.
 *
 * <p>Format: {@code {"version":1,"entries":{"<fingerprint>":{"ruleId":..,"firstSeen":..,"lastSeen":..,
 * "count":..,"lastNotified":..,"lastWindow":..,"expiresAt":..}}}} with ISO-8601 times.
 */
public final class FileStateStore implements StateStore {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;
    private final Map<String, StateEntry> entries;
    private Instant now = Instant.EPOCH;

    private FileStateStore(Path file, Map<String, StateEntry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the file (absent: empty state). */
    public static FileStateStore open(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException absent) {
            return new FileStateStore(file, new TreeMap<>());
        } catch (IOException e) {
            throw new StateException(file + ": cannot read the state file: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new StateException(file + at + ": the state file is not valid JSON (" + e.getOriginalMessage()
                    + "); fix or remove it (removing it re-notifies every finding)", e);
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "expected a JSON object with \"version\" and \"entries\"");
        }
        if (root.path("version").asInt(-1) != VERSION || !root.path("version").isInt()) {
            throw bad(file, "\"version\" must be " + VERSION + ", found " + root.path("version"));
        }
        JsonNode es = root.path("entries");
        if (!es.isObject()) {
            throw bad(file, "\"entries\" must be an object of fingerprint → entry");
        }
        Map<String, StateEntry> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = es.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), entry(file, e.getKey(), e.getValue()));
        }
        return new FileStateStore(file, map);
    }

    private static StateEntry entry(Path file, String fp, JsonNode n) {
        String where = "entry " + fp;
        if (!n.isObject()) {
            throw bad(file, where + ": expected an object");
        }
        if (!n.path("ruleId").isTextual()) {
            throw bad(file, where + ": \"ruleId\" must be a string");
        }
        if (!n.path("count").canConvertToLong() || !n.path("count").isIntegralNumber() || n.path("count").asLong() < 0) {
            throw bad(file, where + ": \"count\" must be a whole number ≥ 0");
        }
        return new StateEntry(n.get("ruleId").asText(), time(file, where, n, "firstSeen", true),
                time(file, where, n, "lastSeen", true), n.get("count").asLong(),
                time(file, where, n, "lastNotified", false), time(file, where, n, "lastWindow", false),
                time(file, where, n, "expiresAt", true));
    }

    private static Instant time(Path file, String where, JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw bad(file, where + ": \"" + field + "\" is missing");
            }
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw bad(file, where + ": \"" + field + "\" is not an ISO-8601 time such as 2026-01-01T00:00:00Z");
        }
    }

    private static StateException bad(Path file, String what) {
        return new StateException(file + ": not an eks-lookout state file: " + what
                + "; fix or remove it (removing it re-notifies every finding)");
    }

    /** The entry of a fingerprint, or null. */
    public synchronized StateEntry get(String fingerprint) {
        return entries.get(fingerprint);
    }

    @Override
    public synchronized StateEntry observe(String fp, String ruleId, Instant windowEnd, Instant now,
                                           Instant expiresAt) {
        this.now = now.isAfter(this.now) ? now : this.now;
        StateEntry old = entries.get(fp);
        StateEntry e;
        if (old == null) {
            e = new StateEntry(ruleId, now, now, 1, null, windowEnd, expiresAt);
        } else {
            boolean counted = windowEnd.equals(old.lastWindow());
            e = new StateEntry(ruleId, old.firstSeen(), now, counted ? old.count() : old.count() + 1,
                    old.lastNotified(), windowEnd, expiresAt.isAfter(old.expiresAt()) ? expiresAt : old.expiresAt());
        }
        entries.put(fp, e);
        return e;
    }

    @Override
    public synchronized Claim claim(String fp, Instant now, Instant cutoff) {
        StateEntry old = entries.get(fp);
        if (old == null) {
            throw new IllegalStateException("claim before observe: " + fp);
        }
        Instant prev = old.lastNotified();
        if (prev != null && prev.isAfter(cutoff)) {
            return new Claim(false, prev);
        }
        entries.put(fp, with(old, now));
        return new Claim(true, prev);
    }

    @Override
    public synchronized void release(String fp, Instant claimedAt, Instant previous) {
        StateEntry old = entries.get(fp);
        if (old != null && claimedAt.equals(old.lastNotified())) {
            entries.put(fp, with(old, previous));
        }
    }

    private static StateEntry with(StateEntry e, Instant lastNotified) {
        return new StateEntry(e.ruleId(), e.firstSeen(), e.lastSeen(), e.count(), lastNotified, e.lastWindow(),
                e.expiresAt());
    }

    /** Writes the state: a temporary file in the same directory, then a rename over the old file. */
    @Override
    public synchronized void flush() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode es = root.putObject("entries");
        entries.entrySet().removeIf(e -> e.getValue().expiresAt().isBefore(now));
        entries.forEach((fp, e) -> {
            ObjectNode o = es.putObject(fp);
            o.put("ruleId", e.ruleId());
            o.put("firstSeen", e.firstSeen().toString());
            o.put("lastSeen", e.lastSeen().toString());
            o.put("count", e.count());
            o.put("lastNotified", e.lastNotified() == null ? null : e.lastNotified().toString());
            o.put("lastWindow", e.lastWindow() == null ? null : e.lastWindow().toString());
            o.put("expiresAt", e.expiresAt().toString());
        });
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failed already; that is the error reported
                }
            }
            throw new StateException(file + ": cannot write the state file: " + e.getMessage(), e);
        }
    }
}
