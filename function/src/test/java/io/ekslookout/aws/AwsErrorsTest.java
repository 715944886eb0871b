package io.ekslookout.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each SDK failure → its kind (exit 2 or 3 in the CLI) and one line naming the fix. */
class AwsErrorsTest {
    private static AwsServiceException service(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    record Row(Throwable error, AwsErrors.Kind kind, String messageStart) {
    }

    @Test
    void table() {
        List<Row> rows = List.of(
                new Row(SdkClientException.create("Unable to load region from any of the providers in the chain x"),
                        AwsErrors.Kind.NO_REGION, "no AWS region configured: give --region REGION"),
                new Row(SdkClientException.create("Unable to load credentials from any of the providers"),
                        AwsErrors.Kind.NO_CREDENTIALS, "no AWS credentials found: run 'aws configure'"),
                new Row(service(400, "ExpiredTokenException", "The security token included in the request is expired"),
                        AwsErrors.Kind.BAD_CREDENTIALS, "the AWS credentials were refused (ExpiredTokenException:"),
                new Row(service(403, "Forbidden", "no"), AwsErrors.Kind.ACCESS_DENIED,
                        "access denied by CloudWatch Logs (no): grant the caller the IAM permission"),
                new Row(service(400, "AccessDeniedException", "User: u is not authorized to perform: logs:StopQuery"
                        + " because no identity-based policy allows it"), AwsErrors.Kind.ACCESS_DENIED,
                        "access denied: logs:StopQuery: allow logs:StopQuery in the IAM policy of u"),
                new Row(service(400, "ThrottlingException", "Rate exceeded"), AwsErrors.Kind.THROTTLED,
                        "CloudWatch Logs throttled the request (ThrottlingException: Rate exceeded)"),
                new Row(service(400, "ResourceNotFoundException", "gone"), AwsErrors.Kind.LOG_GROUP_MISSING, "gone"),
                new Row(service(400, "InvalidParameterException", "bad\nlimit"), AwsErrors.Kind.SERVICE,
                        "InvalidParameterException: bad limit"),
                new Row(ApiCallTimeoutException.create(30_000), AwsErrors.Kind.UNREACHABLE,
                        "CloudWatch Logs did not answer in time"),
                new Row(SdkClientException.builder().message("Unable to execute HTTP request: x")
                        .cause(new UnknownHostException("logs.mars-1.amazonaws.com")).build(),
                        AwsErrors.Kind.UNREACHABLE, "cannot reach CloudWatch Logs (UnknownHostException:"
                        + " logs.mars-1.amazonaws.com): check --region"),
                new Row(new RuntimeException("wrapped", SdkClientException.create("Unable to load region")),
                        AwsErrors.Kind.NO_REGION, "no AWS region configured"),
                new Row(new IllegalStateException("not AWS"), AwsErrors.Kind.OTHER, "not AWS"));
        for (Row r : rows) {
            AwsErrors.Problem p = AwsErrors.describe(r.error(), "CloudWatch Logs");
            assertThat(p.kind()).as(r.messageStart()).isEqualTo(r.kind());
            assertThat(p.message()).startsWith(r.messageStart()).doesNotContain("\n");
        }
        assertThat(AwsErrors.Kind.UNREACHABLE.configuration()).isFalse();
        assertThat(AwsErrors.Kind.THROTTLED.configuration()).isFalse();
        assertThat(AwsErrors.Kind.ACCESS_DENIED.configuration()).isTrue();
    }
}
