package io.kafkagateway.cli;

import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGTERM and SIGINT instead of the JVM's default (which exits with 143/130), so a graceful stop can
 * end with exit status 0. A second signal while stopping exits at once with status 1. Falls back to a shutdown hook
 * where the JDK offers no signal API.
 */
public final class Signals {

    private Signals() {
    }

    public static void onTerminate(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
            InvocationHandler invoke = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    if (signalled.compareAndSet(false, true)) {
                        new Thread(action, "gateway-shutdown").start();
                    } else {
                        LoggerFactory.getLogger(Signals.class).atWarn().log("second signal while stopping; exiting now");
                        Runtime.getRuntime().halt(1);
                    }
                }
                return null;
            };
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, invoke);
            for (String name : new String[] {"TERM", "INT"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                signal.getMethod("handle", signal, handler).invoke(null, sig, proxy);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(action, "gateway-shutdown"));
        }
    }
}
