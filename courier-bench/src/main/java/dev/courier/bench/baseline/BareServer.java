package dev.courier.bench.baseline;

import io.javalin.Javalin;

/**
 * The baseline server: Javalin on Jetty 12 with virtual threads, exactly the stack Courier's server
 * runs on, with nothing of Courier in it. {@code /readyz} answers 200 and {@code /echo} is a
 * WebSocket that sends every text message back. Comparing Courier with this isolates what Courier
 * itself costs.
 */
public final class BareServer implements AutoCloseable {

  private final Javalin app;

  private BareServer(Javalin app) {
    this.app = app;
  }

  /** Starts on 127.0.0.1, port 0 for a free one. */
  public static BareServer start(int port) {
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.routes.get("/readyz", ctx -> ctx.result("{\"status\":\"ready\"}"));
              config.routes.ws(
                  "/echo",
                  ws -> {
                    ws.onConnect(ctx -> ctx.enableAutomaticPings());
                    ws.onMessage(ctx -> ctx.send(ctx.message()));
                  });
            });
    app.start("127.0.0.1", port);
    return new BareServer(app);
  }

  public int port() {
    return app.port();
  }

  public String echoUrl() {
    return "ws://127.0.0.1:" + port() + "/echo";
  }

  @Override
  public void close() {
    app.stop();
  }

  /** A separate process: {@code BareServer PORT}; runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    BareServer server = start(Integer.parseInt(args[0]));
    System.out.println("bare server ready on " + server.port());
    Thread.currentThread().join();
  }
}
