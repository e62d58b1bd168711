package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;

/** The streaming job's Flink configuration. */
class KafkaJobTest {

    @Test
    void shouldFixTheMaxParallelismWhateverTheParallelism() throws Exception {
        for (int parallelism : List.of(1, 2, KafkaJob.MAX_PARALLELISM)) {
            Configuration conf = KafkaJob.flinkConfiguration(JobConfig.load(null, List.of("parallelism=" + parallelism)));

            assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isEqualTo(KafkaJob.MAX_PARALLELISM);
            assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(parallelism);
        }
    }

    @Test
    void shouldRefuseAParallelismAboveTheMaxParallelism() {
        assertThatThrownBy(() -> JobConfig.load(null, List.of("parallelism=" + (KafkaJob.MAX_PARALLELISM + 1))))
                .isInstanceOf(JobConfig.ConfigException.class)
                .hasMessage("Expected an integer from 1 to 128 for parallelism, but found \"129\"");
    }
}
