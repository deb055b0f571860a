package dev.courier.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.ZoneId;

/**
 * The agent process's logging, set up in code: console only (systemd's journal or the launcher
 * captures stdout and adds its own timestamps), INFO and up, OSHI's chatter from WARN.
 *
 * <p>Why not a {@code logback.xml}: reading one loads Logback's XML configurator and the JDK's XML
 * parser, some 500 classes that would stay in the idle agent's metaspace for a file read once.
 * Logback finds this class as a service ({@code META-INF/services}) before it looks for XML.
 *
 * <p>It acts only in the agent's own process, after {@link #configureThisProcess()}: programs that
 * merely have the agent jar on their class path (the benchmarks, tests) keep their own Logback
 * configuration. A file named with {@code -Dlogback.configurationFile} (for example {@code
 * logback-json.xml}, which ships in the jar) still wins, read by Logback as usual.
 */
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {

  private static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";

  private static volatile boolean agentProcess;

  /** Called by the agent's {@code main} before anything logs. */
  public static void configureThisProcess() {
    agentProcess = true;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, agentProcess, System.getProperty(CONFIG_FILE_PROPERTY));
  }

  /** The decision, with what it depends on passed in (the tests share one JVM). */
  ExecutionStatus configure(LoggerContext context, boolean agentProcess, String configFile) {
    if (!agentProcess || configFile != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    AgentLogEncoder encoder = new AgentLogEncoder(ZoneId.systemDefault());
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    context.getLogger("oshi").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
