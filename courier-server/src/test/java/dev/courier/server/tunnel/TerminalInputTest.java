package dev.courier.server.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalInputTest {

  private final TerminalInput input = new TerminalInput();

  @Test
  void a_line_end_completes_the_line_typed_so_far_across_messages() {
    assertThat(input.feed("ls -l")).containsExactly(new TerminalInput.Piece("ls -l", false, null));
    List<TerminalInput.Piece> pieces = input.feed(" /tmp\r");
    assertThat(pieces)
        .containsExactly(
            new TerminalInput.Piece(" /tmp\r", true, "ls -l /tmp"),
            new TerminalInput.Piece("", false, null));
    assertThat(input.pending()).isEmpty();
  }

  @Test
  void backspace_ctrl_u_and_escape_sequences_are_followed_and_crlf_ends_one_line() {
    List<TerminalInput.Piece> pieces = input.feed("rmx\u007f -rf\u0015echo\u001b[A ok\r\nnext\n");
    assertThat(pieces)
        .extracting(TerminalInput.Piece::line)
        .containsExactly("echo ok", "next", null);
    assertThat(pieces.get(0).text()).endsWith("\r\n");
  }

  @Test
  void an_overlong_line_is_kept_up_to_the_limit() {
    String line = "x".repeat(TerminalInput.MAX_LINE + 10);
    assertThat(input.feed(line + "\n").get(0).line()).hasSize(TerminalInput.MAX_LINE);
  }
}
