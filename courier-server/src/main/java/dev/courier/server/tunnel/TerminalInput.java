package dev.courier.server.tunnel;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows what an operator types into a terminal stream to find the command lines in it: printable
 * text accumulates, backspace and DEL remove a character, Ctrl-U clears the line, escape sequences
 * (arrow keys and the like) are dropped, and CR or LF ends the line. Only an approximation of what
 * the shell sees (history recall and tab completion happen there), which is why the terminal's
 * output is kept in the transcript too.
 */
final class TerminalInput {

  /** The longest line kept; the rest of a longer one is dropped (the line is still recorded). */
  static final int MAX_LINE = 8 * 1024;

  /** One piece of input: text to forward, and whether it ended a line. */
  record Piece(String text, boolean endsLine, String line) {}

  private final StringBuilder line = new StringBuilder();
  private int escape; // 0 none, 1 after ESC, 2 inside CSI

  /**
   * Splits {@code data} at line ends. Each piece but the last ends a line ({@code text} then ends
   * with the terminator, {@code line} is the command line it completed); the last piece is the text
   * after the last terminator (possibly empty).
   */
  List<Piece> feed(String data) {
    List<Piece> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (escape == 1) {
        escape = c == '[' || c == 'O' ? 2 : 0;
        continue;
      }
      if (escape == 2) {
        if (c >= 0x40 && c <= 0x7e) {
          escape = 0;
        }
        continue;
      }
      switch (c) {
        case '\r', '\n' -> {
          // A CR LF pair from a client ends one line, not two.
          if (c == '\n' && i > 0 && data.charAt(i - 1) == '\r') {
            continue;
          }
          int end = i + 1;
          if (c == '\r' && end < data.length() && data.charAt(end) == '\n') {
            end++;
          }
          pieces.add(new Piece(data.substring(start, end), true, line.toString()));
          line.setLength(0);
          start = end;
        }
        case '\u007f', '\b' -> {
          if (!line.isEmpty()) {
            line.setLength(line.length() - 1);
          }
        }
        case '\u0015', '\u0003' -> line.setLength(0); // Ctrl-U, Ctrl-C
        case '\u001b' -> escape = 1;
        default -> {
          if (c >= ' ' || c == '\t') {
            if (line.length() < MAX_LINE) {
              line.append(c);
            }
          }
        }
      }
    }
    pieces.add(new Piece(data.substring(Math.min(start, data.length())), false, null));
    return pieces;
  }

  /** What has been typed of the current line. */
  String pending() {
    return line.toString();
  }

  /** Forgets the current line (it was refused). */
  void clear() {
    line.setLength(0);
  }
}
