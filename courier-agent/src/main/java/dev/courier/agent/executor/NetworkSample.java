package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/** Network counters read at the start of a sample and again at its end, for totals and rates. */
final class NetworkSample {

  private final List<NetworkIF> interfaces;
  private final List<long[]> before;

  private NetworkSample(List<NetworkIF> interfaces) {
    this.interfaces = interfaces;
    this.before = new ArrayList<>();
    for (NetworkIF nic : interfaces) {
      before.add(new long[] {nic.getBytesRecv(), nic.getBytesSent()});
    }
  }

  static NetworkSample start(HardwareAbstractionLayer hardware) {
    return new NetworkSample(hardware.getNetworkIFs());
  }

  /** Totals since boot and rates over the sample, for all interfaces and for each one. */
  ObjectNode finish(Duration elapsed) {
    double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
    long received = 0;
    long sent = 0;
    double receiveRate = 0;
    double sendRate = 0;
    ArrayNode perInterface = Json.array();
    for (int i = 0; i < interfaces.size(); i++) {
      NetworkIF nic = interfaces.get(i);
      nic.updateAttributes();
      double inRate = Math.max(0, nic.getBytesRecv() - before.get(i)[0]) / seconds;
      double outRate = Math.max(0, nic.getBytesSent() - before.get(i)[1]) / seconds;
      ObjectNode node = perInterface.addObject();
      node.put("name", nic.getName());
      node.put("bytes_received", nic.getBytesRecv());
      node.put("bytes_sent", nic.getBytesSent());
      node.put("receive_bytes_per_second", Math.round(inRate));
      node.put("send_bytes_per_second", Math.round(outRate));
      received += nic.getBytesRecv();
      sent += nic.getBytesSent();
      receiveRate += inRate;
      sendRate += outRate;
    }
    ObjectNode node = Json.object();
    node.put("bytes_received", received);
    node.put("bytes_sent", sent);
    node.put("receive_bytes_per_second", Math.round(receiveRate));
    node.put("send_bytes_per_second", Math.round(sendRate));
    node.set("interfaces", perInterface);
    return node;
  }
}
