package dev.courier.agent.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.TunnelErrors;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.agent.sdk.TunnelRefusedException;
import dev.courier.agent.sdk.TunnelSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's terminal (issue 9, docs/tunnels.md): serves the channels of tunnel sessions, an
 * interactive shell on {@code <session_id>:terminal} ({@code terminal_open}, {@code
 * terminal_input}, {@code terminal_resize}) and one-shot command lines on {@code
 * <session_id>:cmd-<n>} ({@code terminal}). Everything runs as the agent's own user, in its home
 * directory, with the agent's environment minus its own {@code COURIER_*} settings (which may hold
 * an enrollment token).
 *
 * <p>Registered with the SDK only when the terminal is enabled; {@link #close()} kills whatever is
 * still running when the agent stops, after the SDK has closed the sessions itself.
 */
public final class TerminalTunnels implements TunnelHandler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TerminalTunnels.class);

  /** One-shot command lines running at once in one session. */
  static final int MAX_COMMANDS_PER_SESSION = 8;

  private static final int DEFAULT_COLS = 80;
  private static final int DEFAULT_ROWS = 24;

  private final TerminalSettings settings;
  private final Path home;
  private final Map<String, String> environment;
  private final Map<String, Channels> sessions = new ConcurrentHashMap<>();
  private volatile boolean ptyUnavailable;

  public TerminalTunnels(TerminalSettings settings) {
    this(settings, home(), System.getenv(), false);
  }

  /**
   * @param lineModeOnly never try a pseudo-terminal (tests of line mode)
   */
  TerminalTunnels(
      TerminalSettings settings, Path home, Map<String, String> environment, boolean lineModeOnly) {
    this.settings = settings;
    this.home = home;
    this.environment = shellEnvironment(environment);
    this.ptyUnavailable = lineModeOnly;
  }

  private static Path home() {
    Path home = Path.of(System.getProperty("user.home", "."));
    return Files.isDirectory(home) ? home : Path.of(".").toAbsolutePath().normalize();
  }

  /** The agent's environment without its own settings; a terminal that says so. */
  static Map<String, String> shellEnvironment(Map<String, String> agent) {
    Map<String, String> env = new HashMap<>();
    agent.forEach(
        (key, value) -> {
          if (!key.startsWith("COURIER_")) {
            env.put(key, value);
          }
        });
    env.put("TERM", "xterm-256color");
    return Map.copyOf(env);
  }

  @Override
  public void open(TunnelSession session) throws TunnelRefusedException {
    synchronized (sessions) {
      if (sessions.size() >= settings.maxSessions()) {
        throw new TunnelRefusedException(
            TunnelErrors.TOO_MANY_CHANNELS,
            "this agent allows "
                + settings.maxSessions()
                + " terminal session(s) at once (terminal.max_sessions)");
      }
      sessions.put(session.id(), new Channels(session));
    }
  }

  @Override
  public void data(TunnelSession session, String channelId, JsonNode data) {
    Channels channels = sessions.get(session.id());
    if (channels == null) {
      session.error(
          channelId,
          TunnelErrors.of(TunnelErrors.UNKNOWN_SESSION, "session " + session.id() + " is closed"));
      return;
    }
    String type = data.path("type").asText("");
    JsonNode payload = data.path("payload");
    switch (type) {
      case "terminal_open" -> channels.openTerminal(channelId, size(payload));
      case "terminal_input" -> channels.input(channelId, payload.path("data"));
      case "terminal_resize" -> channels.resize(channelId, size(payload));
      case "terminal" -> channels.command(channelId, payload.path("command"));
      default ->
          session.error(
              channelId,
              TunnelErrors.of(
                  TunnelErrors.BAD_PAYLOAD,
                  "unknown tunnel data type '"
                      + type
                      + "' (this agent knows terminal_open, terminal_input, terminal_resize,"
                      + " terminal)"));
    }
  }

  @Override
  public void close(TunnelSession session, String reason) {
    Channels channels = sessions.remove(session.id());
    if (channels != null) {
      channels.closeAll();
    }
  }

  /** Kills every terminal and command still running (the agent is stopping). */
  @Override
  public void close() {
    for (String id : List.copyOf(sessions.keySet())) {
      Channels channels = sessions.remove(id);
      if (channels != null) {
        channels.closeAll();
      }
    }
  }

  /** Sessions open now. */
  int openSessions() {
    return sessions.size();
  }

  private static int[] size(JsonNode payload) {
    int cols = payload.path("cols").asInt(DEFAULT_COLS);
    int rows = payload.path("rows").asInt(DEFAULT_ROWS);
    return new int[] {clamp(cols, 2, 1000), clamp(rows, 2, 1000)};
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  static ObjectNode output(String stdout, String stderr, Integer exitCode) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("type", "terminal_output");
    ObjectNode payload = data.putObject("payload").put("stdout", stdout).put("stderr", stderr);
    if (exitCode == null) {
      payload.putNull("exit_code");
    } else {
      payload.put("exit_code", exitCode);
    }
    return data;
  }

  /** Starts the interactive shell: on a pseudo-terminal when pty4j works here, else line mode. */
  private InteractiveShell startShell(OutputCoalescer output, int cols, int rows)
      throws IOException {
    List<String> argv = List.of(settings.shell());
    Path program = Path.of(settings.shell());
    if (program.isAbsolute() && !Files.isExecutable(program)) {
      throw new IOException("no executable file " + program + " (terminal.shell)");
    }
    if (!ptyUnavailable) {
      try {
        return PtyShell.start(argv, home, environment, cols, rows);
      } catch (LinkageError | IllegalStateException e) {
        ptyUnavailable = true;
        log.warn(
            "No pseudo-terminal on this system ({}); terminals run in line mode: plain commands"
                + " work, full-screen programs do not",
            e.toString());
      }
    }
    Map<String, String> env = new HashMap<>(environment);
    env.put("TERM", "dumb");
    return PipeShell.start(argv, home, env, output::append);
  }

  /** The channels of one session: at most one terminal, and the command lines running. */
  private final class Channels {
    private final TunnelSession session;
    private final Map<String, OneShotCommand> commands = new ConcurrentHashMap<>();
    private TerminalChannel terminal;
    private boolean closed;

    Channels(TunnelSession session) {
      this.session = session;
    }

    synchronized void openTerminal(String channelId, int[] size) {
      if (closed) {
        return;
      }
      if (terminal != null && terminal.isAlive()) {
        // Re-attached (another operator window): the shell keeps running, in the new size.
        terminal.resize(size[0], size[1]);
        return;
      }
      if (terminal != null) {
        terminal.close(); // the shell exited: release what is left of it before starting anew
        terminal = null;
      }
      OutputCoalescer output =
          new OutputCoalescer((text, exit) -> session.send(channelId, output(text, "", exit)));
      try {
        InteractiveShell shell = startShell(output, size[0], size[1]);
        terminal = TerminalChannel.attach(channelId, shell, output);
        log.info(
            "Terminal {} started: {} ({} mode, pid {})",
            channelId,
            settings.shell(),
            shell.mode(),
            shell.process().pid());
      } catch (IOException | RuntimeException e) {
        log.warn("Terminal {} not started: {}", channelId, e.toString());
        session.error(
            channelId,
            TunnelErrors.of(
                TunnelErrors.SPAWN_FAILED,
                "cannot start " + settings.shell() + ": " + e.getMessage()));
      }
    }

    synchronized void input(String channelId, JsonNode data) {
      if (!data.isTextual()) {
        session.error(
            channelId,
            TunnelErrors.of(TunnelErrors.BAD_PAYLOAD, "terminal_input needs a text field 'data'"));
        return;
      }
      if (terminal == null || !terminal.isAlive()) {
        session.error(
            channelId,
            TunnelErrors.of(
                TunnelErrors.BAD_PAYLOAD, "no terminal is running; send terminal_open first"));
        return;
      }
      try {
        terminal.write(data.asText());
      } catch (IOException e) {
        session.error(
            channelId,
            TunnelErrors.of(TunnelErrors.TOO_MANY_CHANNELS, "input refused: " + e.getMessage()));
      }
    }

    synchronized void resize(String channelId, int[] size) {
      if (terminal != null) {
        terminal.resize(size[0], size[1]);
      }
    }

    void command(String channelId, JsonNode line) {
      if (!line.isTextual() || line.asText().isBlank()) {
        session.error(
            channelId,
            TunnelErrors.of(TunnelErrors.BAD_PAYLOAD, "terminal needs a non-empty 'command'"));
        return;
      }
      OneShotCommand command;
      synchronized (this) {
        if (closed) {
          return;
        }
        if (commands.size() >= MAX_COMMANDS_PER_SESSION) {
          session.error(
              channelId,
              TunnelErrors.of(
                  TunnelErrors.TOO_MANY_CHANNELS,
                  MAX_COMMANDS_PER_SESSION + " commands are already running in this session"));
          return;
        }
        try {
          command =
              OneShotCommand.start(line.asText(), home, environment, settings.outputCapBytes());
        } catch (IOException e) {
          session.error(
              channelId,
              TunnelErrors.of(
                  TunnelErrors.SPAWN_FAILED, "cannot start /bin/sh: " + e.getMessage()));
          return;
        }
        commands.put(channelId, command);
      }
      log.info("Terminal command {} started", channelId);
      Thread.ofVirtual()
          .name("courier-terminal-" + channelId)
          .start(() -> finish(channelId, command));
    }

    private void finish(String channelId, OneShotCommand command) {
      try {
        OneShotCommand.Result result = command.await(settings.commandTimeout());
        if (commands.remove(channelId, command)) {
          log.info("Terminal command {} ended (exit {})", channelId, result.exitCode());
          ObjectNode data = output(result.stdout(), result.stderr(), result.exitCode());
          ((ObjectNode) data.path("payload")).put("truncated", result.truncated());
          session.send(channelId, data);
        }
      } catch (InterruptedException e) {
        command.kill();
        Thread.currentThread().interrupt();
      }
    }

    void closeAll() {
      List<OneShotCommand> running;
      TerminalChannel shell;
      synchronized (this) {
        closed = true;
        running = new ArrayList<>(commands.values());
        commands.clear();
        shell = terminal;
        terminal = null;
      }
      if (shell != null) {
        shell.close();
      }
      running.forEach(OneShotCommand::kill);
    }
  }
}
