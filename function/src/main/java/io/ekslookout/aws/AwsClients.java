package io.ekslookout.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the SDK clients the same way for the Lambda, the CLI and the tests: the URL-connection HTTP client (small,
 * fast to start), the default credential chain, the region from the environment unless given, and an optional
 * endpoint (moto or LocalStack via {@code --endpoint-url}).
 */
public final class AwsClients {
    private Region region;
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

    /** A named profile was not found in the AWS config or credentials file. */
    public static final class UnknownProfile extends IllegalArgumentException {
        UnknownProfile(String message) {
            super(message);
        }
    }

    /**
     * Uses the named profile of the shared AWS config and credentials files (~/.aws/config, ~/.aws/credentials,
     * or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) for credentials, and for the region unless one was given
     * or AWS_REGION is set (the AWS CLI's order). An unknown profile is an {@link UnknownProfile} naming the files
     * searched; a profile without a region, with none given otherwise, is the SDK's "Unable to load region" error.
     */
    public AwsClients withProfile(String name) {
        ProfileFile file = ProfileFile.defaultProfileFile();
        Optional<Profile> profile = file.profile(name);
        if (profile.isEmpty()) {
            List<String> searched = new ArrayList<>();
            searched.add(ProfileFileLocation.configurationFilePath().toString());
            searched.add(ProfileFileLocation.credentialsFilePath().toString());
            List<String> known = new ArrayList<>(file.profiles().keySet());
            throw new UnknownProfile("AWS profile '" + name + "' not found in " + String.join(" or ", searched)
                    + (known.isEmpty() ? " (no profiles there)" : " (profiles: " + String.join(", ", known) + ")")
                    + ": check the name, or create it with 'aws configure --profile " + name + "'");
        }
        this.credentials = ProfileCredentialsProvider.builder().profileFile(file).profileName(name).build();
        if (region == null) {
            String fromSettings = null;
            try {
                fromSettings = new SystemSettingsRegionProvider().getRegion().id();
            } catch (SdkClientException none) {
                // no aws.region / AWS_REGION: the profile's region
            }
            String id = fromSettings != null ? fromSettings : profile.get().property("region").orElse(null);
            if (id == null || id.isBlank()) {
                throw SdkClientException.create("Unable to load region: profile '" + name + "' has no region");
            }
            region = Region.of(id.trim());
        }
        return this;
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

    public software.amazon.awssdk.services.sts.StsClient sts() {
        return build(software.amazon.awssdk.services.sts.StsClient.builder());
    }

    /** The account the credentials belong to (STS GetCallerIdentity, which needs no permission). */
    public String accountId() {
        try (var sts = sts()) {
            return sts.getCallerIdentity().account();
        }
    }

    /** The credentials the clients sign with: the ones given, else the SDK's default chain. */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials != null ? credentials
                : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
    }

    /** The endpoint override, or null for AWS. */
    public URI endpoint() {
        return endpoint;
    }

    /** The API call timeout the clients use. */
    public Duration callTimeout() {
        return override.apiCallTimeout().orElse(Duration.ofSeconds(30));
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
