package dev.courier.agent.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts agent processes for a test, stops every one after it, and prints their logs when it
 * failed. Agents started as {@link #resident} live until {@link #closeResidents()} (for a class's
 * shared agent) and have their logs printed on any failure too.
 */
final class ChildAgents implements AfterEachCallback, TestWatcher {

  private final List<ChildAgent> perTest = new ArrayList<>();
  private final List<ChildAgent> residents = new ArrayList<>();

  ChildAgent start(Path stateDir, List<String> args) {
    return start(stateDir, List.of(), args);
  }

  ChildAgent start(Path stateDir, List<String> extraJvmOptions, List<String> args) {
    ChildAgent agent = ChildAgent.start(stateDir, extraJvmOptions, args);
    synchronized (this) {
      perTest.add(agent);
    }
    return agent;
  }

  ChildAgent resident(Path stateDir, List<String> args) {
    ChildAgent agent = ChildAgent.start(stateDir, args);
    synchronized (this) {
      residents.add(agent);
    }
    return agent;
  }

  synchronized void closeResidents() {
    residents.forEach(ChildAgent::close);
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    perTest.forEach(ChildAgent::close);
  }

  @Override
  public synchronized void testFailed(ExtensionContext context, Throwable cause) {
    System.err.println("==== " + context.getDisplayName() + " failed; agent logs follow");
    residents.forEach(agent -> System.err.println(agent.log()));
    perTest.forEach(agent -> System.err.println(agent.log()));
    perTest.clear();
  }

  @Override
  public synchronized void testSuccessful(ExtensionContext context) {
    perTest.clear();
  }

  @Override
  public synchronized void testAborted(ExtensionContext context, Throwable cause) {
    perTest.clear();
  }

  @Override
  public synchronized void testDisabled(ExtensionContext context, Optional<String> reason) {
    perTest.clear();
  }
}
