package io.ekslookout.notify;

/** Sends a notification somewhere (SNS in production, a list in tests). */
public interface Publisher {
    /** Sends it and returns the message id; throws on failure. */
    String publish(Notification n);
}
