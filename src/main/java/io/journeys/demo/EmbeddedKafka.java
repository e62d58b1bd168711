package io.journeys.demo;

import io.journeys.job.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An Apache Kafka broker in this JVM (KRaft, one combined broker and controller), for the demo and the
 * tests. Transactions work, so the job's exactly-once sinks run as they do in production.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        return start(Map.of());
    }

    /**
     * A broker with some of its settings changed, e.g. {@code transaction.max.timeout.ms}; they are applied
     * after (and so win over) the single-broker settings this class makes.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProperties) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false");
        brokerProperties.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the job's topics (those of the configuration) with the given partitions; definitions compacted. */
    public void createTopics(JobConfig config, int partitions) throws Exception {
        createTopics(bootstrapServers(), config, partitions);
    }

    public static void createTopics(String bootstrapServers, JobConfig config, int partitions) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : config.topicNames()) {
                if (existing.contains(topic)) {
                    continue;
                }
                NewTopic newTopic = new NewTopic(topic, partitions, (short) 1);
                if (topic.equals(config.string(JobConfig.Key.TOPIC_DEFINITIONS))) {
                    newTopic = new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                if (topic.equals(config.string(JobConfig.Key.TOPIC_SEND_TIME_POPULATION))
                        || topic.equals(config.string(JobConfig.Key.TOPIC_EXPERIMENT_WINNERS))) {
                    // the latest snapshot of each engagement kind, and each experiment's winner, is all the job reads back
                    newTopic = new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                topics.add(newTopic);
            }
            admin.createTopics(topics).all().get();
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
