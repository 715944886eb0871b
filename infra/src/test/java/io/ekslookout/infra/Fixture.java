package io.ekslookout.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * A synthesized app for tests: a temporary "repository" with a stand-in function jar and a rules directory, the
 * app built from CDK context exactly as {@code cdk synth} builds it, and the stack's template.
 */
final class Fixture {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String VALID_RULE = """
            id: aws-auth-mutation
            title: aws-auth ConfigMap modified
            severity: high
            description: |
              Someone changed who can authenticate to the cluster.
            query: |
              filter @logStream like /^kube-apiserver-audit/
              | filter objectRef.resource = "configmaps" and objectRef.name = "aws-auth"
              | fields @timestamp, user.username, verb
            tags: [T1098]
            summary: One line on why it matters.
            """;

    final Path base;
    final App app;
    final EksLookoutStack stack;
    final Template template;

    private Fixture(Path base, App app, EksLookoutStack stack) {
        this.base = base;
        this.app = app;
        this.stack = stack;
        this.template = Template.fromStack(stack);
    }

    /** A fresh repository layout with one valid rule. */
    static Path repo() {
        try {
            Path base = Files.createTempDirectory("eks-lookout-infra-test");
            Path jar = base.resolve("function/target/eks-lookout.jar");
            Files.createDirectories(jar.getParent());
            writeJar(jar, "io/ekslookout/lambda/Handler.class");
            writeRule(base, "aws-auth-mutation.yaml", VALID_RULE);
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stand-in for the shaded function jar: a zip holding the given entries (each with its own name as content). */
    static void writeJar(Path jar, String... entries) throws IOException {
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            for (String e : entries) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e));
                zip.write(e.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    static void writeRule(Path base, String file, String text) {
        try {
            Files.createDirectories(base.resolve("rules"));
            Files.writeString(base.resolve("rules").resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Context as {@code cdk synth} builds it: the repository's cdk.json context (defaults and feature flags, typed
     * JSON), then -c values (strings) on top.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> context(String... keyValues) {
        Map<String, Object> ctx;
        try {
            Path cdkJson = Path.of(System.getProperty("repo.root", "..")).resolve("cdk.json");
            ctx = new HashMap<>((Map<String, Object>) JSON.readValue(cdkJson.toFile(), Map.class).get("context"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.put("clusterName", "prod");
        ctx.put("alertEmails", "sec@example.com");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                ctx.remove(keyValues[i]);
            } else {
                ctx.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return ctx;
    }

    static Fixture synth(Map<String, Object> context) {
        return synth(repo(), context);
    }

    static Fixture synth(Path base, Map<String, Object> context) {
        try {
            App app = new App(AppProps.builder()
                    .context(context)
                    .outdir(Files.createTempDirectory("eks-lookout-cdk-out").toString())
                    .build());
            return new Fixture(base, app, EksLookoutApp.build(app, base));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single resource of a type: its logical id. */
    String id(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + found.keySet());
        }
        return found.keySet().iterator().next();
    }

    /** The single resource of a type as JSON (Type, Properties, ...). */
    JsonNode resource(String type) {
        return JSON.valueToTree(template.findResources(type).get(id(type)));
    }

    List<JsonNode> resources(String type) {
        return template.findResources(type).values().stream().map(r -> (JsonNode) JSON.valueToTree(r)).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
