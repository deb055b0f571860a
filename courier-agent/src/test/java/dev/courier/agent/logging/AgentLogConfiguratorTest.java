package dev.courier.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AgentLogConfiguratorTest {

  private final LoggerContext context = new LoggerContext();
  private final AgentLogConfigurator configurator = new AgentLogConfigurator();

  @Test
  void the_agent_process_logs_info_and_up_to_the_console_and_oshi_from_warn() {
    ExecutionStatus status = configurator.configure(context, true, null);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("CONSOLE")).isInstanceOf(ConsoleAppender.class);
    assertThat(context.getLogger("oshi.hardware").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void another_program_with_the_agent_jar_on_its_class_path_keeps_its_own_configuration() {
    assertThat(configurator.configure(context, false, null))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE")).isNull();
  }

  @Test
  void a_configuration_file_named_with_logback_configuration_file_wins() {
    assertThat(configurator.configure(context, true, "logback-json.xml"))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE")).isNull();
  }

  @Test
  void an_event_is_one_line_with_time_level_short_logger_name_and_message() {
    String line = encode(event(Level.INFO, "connected to {}", null, "http://server"));

    assertThat(line)
        .isEqualTo("09:05:07.042 INFO  AgentProcess - connected to http://server" + newline());
  }

  @Test
  void an_attached_exception_follows_its_line_with_its_stack_trace() {
    IllegalStateException cause = new IllegalStateException("disk full");
    String text = encode(event(Level.ERROR, "write failed", new RuntimeException("boom", cause)));

    assertThat(text).startsWith("09:05:07.042 ERROR AgentProcess - write failed" + newline());
    assertThat(text)
        .contains("java.lang.RuntimeException: boom")
        .contains("\tat dev.courier.agent.logging.AgentLogConfiguratorTest")
        .contains("Caused by: java.lang.IllegalStateException: disk full")
        .endsWith(newline());
  }

  private LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
    Logger logger = context.getLogger("dev.courier.agent.AgentProcess");
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, thrown, args);
    event.setTimeStamp(
        LocalDateTime.of(2026, 12, 6, 9, 5, 7, 42_000_000)
            .toInstant(ZoneOffset.UTC)
            .toEpochMilli());
    return event;
  }

  private static String encode(LoggingEvent event) {
    AgentLogEncoder encoder = new AgentLogEncoder(ZoneOffset.UTC);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private static String newline() {
    return System.lineSeparator();
  }
}
