package io.ekslookout.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * The one place an AWS SDK failure becomes a readable line naming the fix. The SDK's own messages list every
 * provider it tried ("Unable to load region from any of the providers in the chain ...[SystemSettingsRegionProvider
 * ...]") or carry a stack of causes; an operator needs to know what to do instead: give --region, log in, grant an
 * IAM action, check the endpoint, retry later.
 *
 * <p>Each {@link Kind} says whether it is a configuration problem (the caller must change something: region,
 * credentials, profile, permissions, log group; retrying will not help) or a problem of the moment (endpoint
 * unreachable, throttled for too long: retrying later may help), and whether it affects every call alike (so a batch
 * of queries should stop at the first one instead of failing each rule the same way).
 */
public final class AwsErrors {
    /** What went wrong, as far as the exception tells. */
    public enum Kind {
        NO_REGION(true, true),
        NO_CREDENTIALS(true, true),
        BAD_CREDENTIALS(true, true),
        UNKNOWN_PROFILE(true, true),
        ACCESS_DENIED(true, true),
        LOG_GROUP_MISSING(true, true),
        UNREACHABLE(false, true),
        THROTTLED(false, false),
        /** Any other service error (a query Logs Insights refused, ...): per call, reported with its code. */
        SERVICE(true, false),
        /** Any other client-side failure. */
        OTHER(false, false);

        private final boolean configuration;
        private final boolean everyCall;

        Kind(boolean configuration, boolean everyCall) {
            this.configuration = configuration;
            this.everyCall = everyCall;
        }

        /** True when the caller must change a setting (retrying will not help); false for a problem of the moment. */
        public boolean configuration() {
            return configuration;
        }

        /** True when every further call would fail the same way: a batch stops at the first one. */
        public boolean affectsEveryCall() {
            return everyCall;
        }
    }

    /** A classified failure: its kind and the one line to show (no newline, names the fix). */
    public record Problem(Kind kind, String message) {
    }

    /** Error codes meaning the credentials were found but are not valid (expired, unknown key, bad signature). */
    private static final Set<String> BAD_CREDENTIAL_CODES = Set.of("UnrecognizedClientException",
            "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId", "MissingAuthenticationToken",
            "RequestExpired");
    private static final Set<String> ACCESS_DENIED_CODES = Set.of("AccessDeniedException", "AccessDenied",
            "AuthorizationError", "UnauthorizedOperation", "UnauthorizedException");
    private static final Set<String> THROTTLING_CODES = Set.of("ThrottlingException", "Throttling",
            "LimitExceededException", "TooManyRequestsException", "RequestLimitExceeded");

    private AwsErrors() {
    }

    /** The problem an exception stands for; {@code service} names the API for messages ("CloudWatch Logs"). */
    public static Problem describe(Throwable e, String service) {
        SdkException sdk = find(e);
        if (sdk instanceof AwsServiceException ase) {
            return service(ase, service);
        }
        if (sdk != null) {
            return client(sdk, service);
        }
        return new Problem(Kind.OTHER, oneLine(e));
    }

    /** The first SDK exception in the cause chain of {@code e}, or null. */
    public static SdkException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkException s) {
                return s;
            }
        }
        return null;
    }

    private static Problem service(AwsServiceException e, String service) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String msg = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? oneLine(e)
                : oneLine(e.awsErrorDetails().errorMessage());
        if (code != null && BAD_CREDENTIAL_CODES.contains(code)) {
            return new Problem(Kind.BAD_CREDENTIALS, "the AWS credentials were refused (" + code + ": " + msg
                    + "): they are expired or wrong; log in again (aws sso login, or refresh the keys) or pick"
                    + " another --profile");
        }
        if ((code != null && ACCESS_DENIED_CODES.contains(code)) || e.statusCode() == 403) {
            return new Problem(Kind.ACCESS_DENIED, accessDenied(msg, service));
        }
        if (e.isThrottlingException() || (code != null && THROTTLING_CODES.contains(code))) {
            return new Problem(Kind.THROTTLED, service + " throttled the request (" + (code == null ? "" : code
                    + ": ") + msg + ")");
        }
        if ("ResourceNotFoundException".equals(code)) {
            return new Problem(Kind.LOG_GROUP_MISSING, msg);
        }
        return new Problem(Kind.SERVICE, (code == null ? "" : code + ": ") + msg);
    }

    /**
     * "access denied: logs:StartQuery on arn:...: grant it to arn:aws:iam::...:user/x": AWS says which action on
     * which resource was refused and to whom in its message ("User: X is not authorized to perform: A on resource:
     * R ..."); both are named when present.
     */
    static String accessDenied(String msg, String service) {
        String who = between(msg, "User: ", " is not authorized");
        String action = between(msg, "to perform: ", " on resource");
        if (action == null) {
            action = between(msg, "to perform: ", " because");
        }
        String resource = between(msg, "on resource: ", " because");
        if (resource == null && msg.contains("on resource: ")) {
            resource = word(msg.substring(msg.indexOf("on resource: ") + "on resource: ".length()));
        }
        if (action == null) {
            return "access denied by " + service + " (" + msg + "): grant the caller the IAM permission the call"
                    + " needs (for scan: logs:StartQuery, logs:GetQueryResults, logs:StopQuery on the log group;"
                    + " sns:Publish on the --publish topic)";
        }
        return "access denied: " + action + (resource == null ? "" : " on " + resource)
                + ": allow " + action + (resource == null ? "" : " on that resource") + " in the IAM policy of "
                + (who == null ? "the caller" : who) + " (or use another --profile)";
    }

    private static Problem client(SdkException e, String service) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.startsWith("Unable to load region")) {
            return new Problem(Kind.NO_REGION, "no AWS region configured: give --region REGION, set AWS_REGION,"
                    + " or set a region in the profile (aws configure [--profile NAME])");
        }
        if (m.startsWith("Unable to load credentials")) {
            return new Problem(Kind.NO_CREDENTIALS, "no AWS credentials found: run 'aws configure' or"
                    + " 'aws sso login', set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --profile NAME");
        }
        if (m.contains("Profile file contained no") || (m.contains("profile") && m.contains("not found"))) {
            return new Problem(Kind.UNKNOWN_PROFILE, oneLine(m) + ": check the --profile name (aws configure"
                    + " list-profiles)");
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new Problem(Kind.UNREACHABLE, service + " did not answer in time (" + oneLine(m) + "): check the"
                    + " network, proxy settings and --endpoint-url, then retry");
        }
        Throwable net = network(e);
        if (net != null) {
            return new Problem(Kind.UNREACHABLE, "cannot reach " + service + " (" + net.getClass().getSimpleName()
                    + (net.getMessage() == null ? "" : ": " + oneLine(net.getMessage())) + "): check --region,"
                    + " --endpoint-url, the network and proxy settings, then retry");
        }
        if (e instanceof SdkClientException && m.startsWith("Unable to execute HTTP request")) {
            return new Problem(Kind.UNREACHABLE, "cannot reach " + service + " (" + oneLine(m) + "): check --region,"
                    + " --endpoint-url, the network and proxy settings, then retry");
        }
        return new Problem(Kind.OTHER, service + ": " + oneLine(m.isEmpty() ? e.toString() : m));
    }

    /** The network failure among the causes (refused, unknown host, no route, timed out), or null. */
    private static Throwable network(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof InterruptedIOException
                    || t instanceof SocketException) {
                return t;
            }
        }
        return null;
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        if (a < 0) {
            return null;
        }
        a += from.length();
        int b = s.indexOf(to, a);
        if (b < 0) {
            return null;
        }
        String v = s.substring(a, b).trim();
        return v.isEmpty() ? null : v;
    }

    private static String word(String s) {
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        String w = s.substring(0, end);
        return w.isEmpty() ? null : w;
    }

    static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** Whitespace runs (newlines too) become one space: the line stays one line. */
    static String oneLine(String m) {
        StringBuilder sb = new StringBuilder(m.length());
        boolean space = false;
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
