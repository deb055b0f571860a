package dev.courier.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The agent's version, stamped into {@code version.properties} by the build. */
public final class AgentVersion {

  private static final String UNKNOWN = "0.0.0-dev";
  private static final String CURRENT = read();

  private AgentVersion() {}

  /** The version reported at enrollment, authentication and in heartbeats. */
  public static String current() {
    return CURRENT;
  }

  private static String read() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      // Unfiltered (an IDE build that skipped Maven's resource filtering) reads
      // "${project.version}".
      return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers {@code --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "courier-agent " + current(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
