package io.ekslookout.notify;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes to an SNS topic with {@code MessageStructure=json}: email subscribers get the {@code email} text with
 * the subject, AWS Chatbot (an HTTPS subscriber) gets the {@code https} custom notification, everything else the
 * {@code default} text. The attributes (severity, ruleId, cluster, kind) let subscriptions filter.
 */
public final class SnsPublisher implements Publisher {
    private final SnsClient sns;
    private final String topicArn;

    public SnsPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String publish(Notification n) {
        Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
        n.attributes().forEach((k, v) -> attrs.put(k,
                MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        return sns.publish(b -> b.topicArn(topicArn).messageStructure("json").message(n.snsMessage())
                .subject(n.subject()).messageAttributes(attrs)).messageId();
    }
}
