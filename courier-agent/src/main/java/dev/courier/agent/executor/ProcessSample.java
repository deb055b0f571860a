package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * The process table read at the start of a sample and again at its end, so "top by CPU" means CPU
 * used during the sample (as {@code top} shows it), not averaged over each process's lifetime.
 */
final class ProcessSample {

  private final Map<Integer, OSProcess> before;

  private ProcessSample(Map<Integer, OSProcess> before) {
    this.before = before;
  }

  static ProcessSample start(OperatingSystem os) {
    Map<Integer, OSProcess> before = new HashMap<>();
    for (OSProcess process : os.getProcesses()) {
      before.put(process.getProcessID(), process);
    }
    return new ProcessSample(before);
  }

  /** The {@code limit} processes that used the most CPU during the sample, busiest first. */
  ArrayNode finish(OperatingSystem os, int limit) {
    record Load(OSProcess process, double fraction) {}
    List<Load> loads =
        os.getProcesses().stream()
            .map(
                process ->
                    new Load(
                        process,
                        process.getProcessCpuLoadBetweenTicks(before.get(process.getProcessID()))))
            .sorted(
                Comparator.comparingDouble(Load::fraction)
                    .thenComparingLong(load -> load.process().getResidentSetSize())
                    .reversed())
            .limit(limit)
            .toList();
    ArrayNode top = Json.array();
    for (Load load : loads) {
      OSProcess process = load.process();
      ObjectNode node = top.addObject();
      node.put("pid", process.getProcessID());
      node.put("name", process.getName());
      Json.putText(node, "user", process.getUser());
      // Percent of one core, as top(1) shows it: a busy multi-threaded process can exceed 100.
      node.put("cpu_percent", Json.percent(load.fraction()));
      node.put("resident_bytes", process.getResidentSetSize());
    }
    return top;
  }
}
