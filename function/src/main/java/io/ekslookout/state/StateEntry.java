package io.ekslookout.state;

import java.time.Instant;

/**
 * What is known about one fingerprint across runs. No log content is kept (not even the group key, which is a user
 * or object name from the logs): only the rule id and times, so the state file or table holds nothing secret.
 *
 * @param ruleId       the rule (or {@code health:RULE} for a failing rule's health entry)
 * @param firstSeen    when a run first saw it
 * @param lastSeen     when a run last saw it
 * @param count        windows in which it was seen
 * @param lastNotified when a notification was last claimed for it; null when never
 * @param lastWindow   end of the last window that counted it (a window is counted once)
 * @param expiresAt    when the entry may be deleted (DynamoDB TTL; the file store prunes)
 */
public record StateEntry(String ruleId, Instant firstSeen, Instant lastSeen, long count, Instant lastNotified,
                         Instant lastWindow, Instant expiresAt) {
}
