package io.kafkagateway;

import io.kafkagateway.cli.Launcher;

/** {@code java -jar kafka-gateway.jar [flags]}: runs until SIGTERM or SIGINT, then stops gracefully and exits 0. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.Outcome outcome = Launcher.launch(args, System.out, System.err);
        if (outcome instanceof Launcher.Finished finished) {
            System.exit(finished.exitCode());
        }
        Launcher.Running running = ((Launcher.Started) outcome).running();
        io.kafkagateway.cli.Signals.onTerminate(running::stop);
        running.awaitStopped();
        System.exit(Launcher.EXIT_OK);
    }
}
