package dev.courier.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark run's figures, its baseline measured in the same run, and the ratios between them,
 * printed for people and written as JSON for machines. Only measured numbers go in; nothing here
 * compares them with a target.
 */
public final class Report {

  private record Figure(String key, double value, String unit, String label) {}

  private final String benchmark;
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final List<Figure> figures = new ArrayList<>();
  private final List<Figure> baselineFigures = new ArrayList<>();
  private final List<Figure> ratios = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String baselineDescription;

  public Report(String benchmark) {
    this.benchmark = benchmark;
  }

  public String benchmark() {
    return benchmark;
  }

  public Report parameter(String key, Object value) {
    parameters.put(key, value);
    return this;
  }

  public Report figure(String key, double value, String unit, String label) {
    figures.add(new Figure(key, value, unit, label));
    return this;
  }

  public Report baseline(String description) {
    this.baselineDescription = description;
    return this;
  }

  public Report baselineFigure(String key, double value, String unit, String label) {
    baselineFigures.add(new Figure(key, value, unit, label));
    return this;
  }

  /**
   * A ratio of a figure to its baseline. The first one added is also the report's headline {@code
   * ratio}.
   */
  public Report ratio(String key, double value, String label) {
    ratios.add(new Figure(key, value, "x", label));
    return this;
  }

  /** Ratio of two measured values, or NaN-free 0 when the baseline is 0. */
  public static double divide(double value, double baseline) {
    return baseline == 0 ? 0 : value / baseline;
  }

  public Report note(String note) {
    notes.add(note);
    return this;
  }

  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", benchmark);
    root.put("started_at", startedAt.toString());
    root.put("duration_seconds", round((System.nanoTime() - startedNanos) / 1e9));
    ObjectNode params = root.putObject("parameters");
    parameters.forEach((k, v) -> params.set(k, mapper.valueToTree(v)));
    MachineFacts.addTo(root.putObject("machine"));
    ObjectNode values = root.putObject("figures");
    ObjectNode units = root.putObject("units");
    for (Figure f : figures) {
      values.put(f.key(), round(f.value()));
      units.put(f.key(), f.unit());
    }
    if (baselineDescription != null || !baselineFigures.isEmpty()) {
      ObjectNode baseline = root.putObject("baseline");
      baseline.put("description", baselineDescription);
      ObjectNode bValues = baseline.putObject("figures");
      for (Figure f : baselineFigures) {
        bValues.put(f.key(), round(f.value()));
        units.put("baseline." + f.key(), f.unit());
      }
    }
    if (!ratios.isEmpty()) {
      root.put("ratio", round(ratios.getFirst().value()));
      ObjectNode r = root.putObject("ratios");
      ratios.forEach(f -> r.put(f.key(), round(f.value())));
    }
    if (!notes.isEmpty()) {
      notes.forEach(root.putArray("notes")::add);
    }
    return root;
  }

  public void print(PrintStream out) {
    out.println();
    out.printf("== %s ==%n", benchmark);
    parameters.forEach((k, v) -> out.printf("  %-28s %s%n", k, v));
    out.println();
    figures.forEach(f -> line(out, f));
    if (baselineDescription != null) {
      out.printf("%n  baseline: %s%n", baselineDescription);
      baselineFigures.forEach(f -> line(out, f));
    }
    if (!ratios.isEmpty()) {
      out.println();
      ratios.forEach(f -> line(out, f));
    }
    notes.forEach(n -> out.printf("%n  note: %s", n));
    if (!notes.isEmpty()) {
      out.println();
    }
  }

  private static void line(PrintStream out, Figure f) {
    out.printf(Locale.ROOT, "  %-44s %14s %s%n", f.label(), format(f.value()), f.unit());
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.1f" : "%.3f", value);
  }

  private static double round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return 0;
    }
    return Math.round(value * 1000.0) / 1000.0;
  }

  /** Writes the JSON to {@code file}, creating its folder. */
  public void write(Path file, ObjectMapper mapper) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(mapper))
            + "\n");
  }
}
