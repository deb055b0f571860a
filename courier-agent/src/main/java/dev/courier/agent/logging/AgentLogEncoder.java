package dev.courier.agent.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One line per event, {@code 12:34:56.789 INFO AgentProcess - message}, then the stack trace of an
 * attached exception: what the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} gives.
 * Written out because Logback's {@code PatternLayout} registers a class and a lambda for each of
 * its hundred-odd conversion words when first used, all of which would stay loaded in the idle
 * agent.
 */
final class AgentLogEncoder extends EncoderBase<ILoggingEvent> {

  private final ZoneId zone;

  AgentLogEncoder(ZoneId zone) {
    this.zone = zone;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    LocalTime time = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
    twoDigits(line, time.getHour()).append(':');
    twoDigits(line, time.getMinute()).append(':');
    twoDigits(line, time.getSecond()).append('.');
    int millis = time.getNano() / 1_000_000;
    line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10));
    line.append((char) ('0' + millis % 10)).append(' ');
    String level = event.getLevel().toString();
    line.append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
    line.append(event.getFormattedMessage()).append(System.lineSeparator());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(System.lineSeparator());
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder twoDigits(StringBuilder line, int value) {
    return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
