package io.ekslookout.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK's exceptions become the three the back end acts on. */
class SdkInsightsApiTest {
    static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
    }

    @Test
    void limitExceededAndThrottlingAreRetried() {
        assertThat(SdkInsightsApi.map(LimitExceededException.builder().message("too many queries")
                .awsErrorDetails(details("LimitExceededException", "too many queries")).build()))
                .isInstanceOf(InsightsApi.Throttled.class);
        assertThat(SdkInsightsApi.map(AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build()))
                .isInstanceOf(InsightsApi.Throttled.class);
    }

    @Test
    void aMissingLogGroupIsRecognised() {
        assertThat(SdkInsightsApi.map(ResourceNotFoundException.builder()
                .awsErrorDetails(details("ResourceNotFoundException", "The specified log group does not exist."))
                .build())).isInstanceOf(InsightsApi.LogGroupNotFound.class);
    }

    @Test
    void otherErrorsKeepTheirCodeAndMessageOnOneLineAndNetworkErrorsNameTheFix() {
        InsightsApi.ApiError e = SdkInsightsApi.map(MalformedQueryException.builder()
                .awsErrorDetails(details("MalformedQueryException", "unexpected symbol\nat 1:7")).build());
        assertThat(e).isNotInstanceOf(InsightsApi.Throttled.class);
        assertThat(e.getMessage()).isEqualTo("MalformedQueryException: unexpected symbol at 1:7");
        InsightsApi.ApiError net = SdkInsightsApi.map(SdkClientException.create("Unable to execute HTTP request:\n"
                + " timed out"));
        assertThat(net.getMessage()).isEqualTo("cannot reach CloudWatch Logs (Unable to execute HTTP request: timed"
                + " out): check --region, --endpoint-url, the network and proxy settings, then retry");
        assertThat(net.kind()).isEqualTo(AwsErrors.Kind.UNREACHABLE);
    }

    @Test
    void oneGroupByNameSeveralByNamesAndAnyArnMakesThemAllIdentifiers() {
        var one = SdkInsightsApi.request(java.util.List.of("/aws/eks/a/cluster"), 1, 2, "q", 10);
        assertThat(one.logGroupName()).isEqualTo("/aws/eks/a/cluster");
        assertThat(one.hasLogGroupNames()).isFalse();
        assertThat(one.hasLogGroupIdentifiers()).isFalse();
        var two = SdkInsightsApi.request(java.util.List.of("/aws/eks/a/cluster", "/aws/eks/b/cluster"), 1, 2, "q", 10);
        assertThat(two.logGroupName()).isNull();
        assertThat(two.logGroupNames()).containsExactly("/aws/eks/a/cluster", "/aws/eks/b/cluster");
        assertThat(two.hasLogGroupIdentifiers()).isFalse();
        String arn = "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster";
        var mixed = SdkInsightsApi.request(java.util.List.of("/aws/eks/a/cluster", arn), 1, 2, "q", 10);
        assertThat(mixed.logGroupName()).isNull();
        assertThat(mixed.hasLogGroupNames()).isFalse();
        assertThat(mixed.logGroupIdentifiers()).containsExactly("/aws/eks/a/cluster", arn);
        assertThat(SdkInsightsApi.request(java.util.List.of(arn), 1, 2, "q", 10).logGroupIdentifiers())
                .containsExactly(arn);
        java.util.List<String> fiftyOne = java.util.stream.IntStream.rangeClosed(1, 51)
                .mapToObj(i -> "/aws/eks/c" + i + "/cluster").toList();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SdkInsightsApi.request(fiftyOne, 1, 2, "q", 10))
                .hasMessageContaining("1 to 50 log groups, got 51");
        assertThat(SdkInsightsApi.request(fiftyOne.subList(0, 50), 1, 2, "q", 10).logGroupNames()).hasSize(50);
    }
}
