package io.ekslookout.query;

/** What expressions may read besides the record: the query context. */
final class Env {
    final QueryContext ctx;

    Env(QueryContext ctx) {
        this.ctx = ctx;
    }
}
