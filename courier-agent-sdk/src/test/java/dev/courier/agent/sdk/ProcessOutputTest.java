package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcessOutputTest {

  private Process process;

  /** Starts {@code sh -c script} with nothing on its input. */
  private Process sh(String script) throws Exception {
    process =
        new ProcessBuilder(List.of("sh", "-c", script))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    return process;
  }

  /** Waits for the process to exit, then for its output to be read. */
  private static ProcessOutput ended(Process process, ProcessOutput output) throws Exception {
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    output.finish();
    return output;
  }

  @AfterEach
  void killLeftovers() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void output_within_the_cap_is_kept_whole_and_per_stream() throws Exception {
    Process p = sh("printf 'out\\n'; printf 'err' >&2");

    ProcessOutput output = ended(p, ProcessOutput.capture(p, 1024));

    assertThat(output.stdout().text()).isEqualTo("out\n");
    assertThat(output.stderr().text()).isEqualTo("err");
    assertThat(output.truncated()).isFalse();
    assertThat(output.stdout().textWithMarker()).isEqualTo("out\n");
  }

  @Test
  void output_beyond_the_cap_is_cut_and_marked_truncated() throws Exception {
    Process p = sh("printf 'abcdefghij'");

    ProcessOutput output = ended(p, ProcessOutput.capture(p, 4));

    ProcessOutput.Captured stdout = output.stdout();
    assertThat(stdout.text()).isEqualTo("abcd");
    assertThat(stdout.droppedBytes()).isEqualTo(6);
    assertThat(stdout.truncated()).isTrue();
    assertThat(output.truncated()).isTrue();
    assertThat(output.stderr().truncated()).isFalse();
    assertThat(stdout.textWithMarker())
        .isEqualTo("abcd\n[truncated: 6 more bytes dropped at the agent's cap of 4 bytes]");
  }

  @Test
  void the_marker_follows_a_kept_newline_without_adding_another() {
    ProcessOutput.Captured captured = new ProcessOutput.Captured("abc\n", 3, 4);

    assertThat(captured.textWithMarker())
        .isEqualTo("abc\n[truncated: 3 more bytes dropped at the agent's cap of 4 bytes]");
  }

  @Test
  void a_truncated_stderr_marks_the_whole_output_truncated() throws Exception {
    Process p = sh("printf 'ok'; printf '0123456789' >&2");

    ProcessOutput output = ended(p, ProcessOutput.capture(p, 5));

    assertThat(output.stdout().truncated()).isFalse();
    assertThat(output.stderr().text()).isEqualTo("01234");
    assertThat(output.truncated()).isTrue();
  }

  @Test
  void kept_bytes_are_decoded_as_utf8() throws Exception {
    Process p = sh("printf 'caf\\303\\251'");

    ProcessOutput output = ended(p, ProcessOutput.capture(p, 1024));

    assertThat(output.stdout().text()).isEqualTo("café");
  }

  @Test
  void the_live_sink_sees_every_chunk_including_the_dropped_bytes() throws Exception {
    StringBuffer out = new StringBuffer();
    StringBuffer err = new StringBuffer();
    Process p = sh("printf 'abcdefghij'; printf 'xyz' >&2");

    ProcessOutput output =
        ended(
            p,
            ProcessOutput.capture(
                p, 4, (stream, text) -> (stream.equals("stdout") ? out : err).append(text)));

    assertThat(out.toString()).isEqualTo("abcdefghij");
    assertThat(err.toString()).isEqualTo("xyz");
    assertThat(output.stdout().text()).isEqualTo("abcd");
  }

  @Test
  void a_live_sink_that_throws_does_not_stop_the_capture() throws Exception {
    Process p = sh("printf 'one'; printf 'two' >&2; printf 'three'");

    ProcessOutput output =
        ended(
            p,
            ProcessOutput.capture(
                p,
                1024,
                (stream, text) -> {
                  throw new IllegalStateException("socket gone");
                }));

    assertThat(output.stdout().text()).isEqualTo("onethree");
    assertThat(output.stderr().text()).isEqualTo("two");
  }

  @Test
  void a_negative_cap_is_refused() throws Exception {
    Process p = sh("true");

    assertThatThrownBy(() -> ProcessOutput.capture(p, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
