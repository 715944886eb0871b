package io.ekslookout.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the SDK clients the same way for the Lambda, the CLI and the tests: the URL-connection HTTP client (small,
 * fast to start), the default credential chain, the region from the environment unless given, and an optional
 * endpoint (moto or LocalStack via {@code --endpoint-url}).
 */
public final class AwsClients {
    private final Region region;
    private final URI endpoint;
    private final ClientOverrideConfiguration override;
    private AwsCredentialsProvider credentials;

    /**
     * @param region   the region, or null for the SDK's default chain (AWS_REGION, profile, ...)
     * @param endpoint an endpoint override, or null for AWS
     */
    public AwsClients(String region, URI endpoint) {
        this(region, endpoint, ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30)).build());
    }

    public AwsClients(String region, URI endpoint, ClientOverrideConfiguration override) {
        this.region = region == null || region.isBlank() ? null : Region.of(region);
        this.endpoint = endpoint;
        this.override = override;
    }

    /** Uses these credentials instead of the default chain (tests: dummy keys for moto). */
    public AwsClients withCredentials(AwsCredentialsProvider provider) {
        this.credentials = provider;
        return this;
    }

    public CloudWatchLogsClient logs() {
        return build(CloudWatchLogsClient.builder());
    }

    public SnsClient sns() {
        return build(SnsClient.builder());
    }

    /** One client, configured the same way whatever the service. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B b) {
        b.httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(override);
        if (region != null) {
            b.region(region);
        }
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    /** The region the clients use (resolved the SDK's way when not given). */
    public String regionName() {
        if (region != null) {
            return region.id();
        }
        try {
            return new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
