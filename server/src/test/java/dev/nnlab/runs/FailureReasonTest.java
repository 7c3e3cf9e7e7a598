package dev.nnlab.runs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed run's reason points at the plugin author's own line, not the JDK frame that threw. */
class FailureReasonTest {

    static StackTraceElement frame(String loader, String cls, String method, String file, int line) {
        return new StackTraceElement(loader, null, null, cls, method, file, line);
    }

    @Test
    void the_first_frame_inside_a_plugin_is_named_even_when_a_jdk_frame_threw() {
        NumberFormatException e = new NumberFormatException("For input string: \"x\"");
        e.setStackTrace(new StackTraceElement[] {
                frame(null, "java.lang.NumberFormatException", "forInputString", "NumberFormatException.java", 67),
                frame(null, "java.lang.Integer", "parseInt", "Integer.java", 662),
                frame("app", "dev.nnlab.training.SupervisedTraining", "run", "SupervisedTraining.java", 80),
                frame("plugin:my-net.jar", "org.example.MyNet", "train", "MyNet.java", 42),
        });
        assertThat(TrialRunner.describe(e))
                .startsWith("NumberFormatException: For input string: \"x\" (at ")
                .contains("org.example.MyNet.train(MyNet.java:42)")
                .endsWith(" in my-net.jar)")
                .doesNotContain("Integer.parseInt");
    }

    @Test
    void without_a_plugin_frame_the_first_frame_is_named() {
        IllegalStateException e = new IllegalStateException("host trouble");
        e.setStackTrace(new StackTraceElement[] {
                frame("app", "dev.nnlab.runs.DataCache", "prepare", "DataCache.java", 10),
                frame(null, "java.lang.Thread", "run", "Thread.java", 1),
        });
        assertThat(TrialRunner.describe(e)).isEqualTo("IllegalStateException: host trouble (at app//dev.nnlab.runs.DataCache.prepare(DataCache.java:10))");
    }
}
