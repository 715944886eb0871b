package io.ekslookout.detect;

import io.ekslookout.logs.LogSource;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;

import java.util.List;
import java.util.function.Consumer;

/** Events held in memory (rule test fixtures): read in list order, nothing malformed. */
public final class InMemoryLogSource implements LogSource {
    private final List<LogEvent> events;

    public InMemoryLogSource(List<LogEvent> events) {
        this.events = List.copyOf(events);
    }

    @Override
    public ReadReport read(Consumer<LogEvent> sink) {
        long bytes = 0;
        for (LogEvent e : events) {
            sink.accept(e);
            bytes += e.message() == null ? 0 : e.message().length();
        }
        return new ReadReport(events.size(), 0, List.of(), bytes);
    }
}
