package org.tributary.runtime.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.Logger;

/**
 * The OSGi Log Service's {@link LoggerFactory} (what Declarative Services logs to) answered by SLF4J, so component
 * errors are lines of the same form as every other, under the logger name Declarative Services gives (or the
 * bundle's symbolic name), instead of lines of their own on standard error. Registered at start level 2, before
 * Declarative Services starts.
 */
final class Slf4jLoggerFactory implements InvocationHandler {

    private ServiceRegistration<?> registration;

    void start(BundleContext context) {
        Object factory = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { LoggerFactory.class },
                this);
        registration = context.registerService(LoggerFactory.class.getName(), factory, null);
    }

    void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already gone with the bundle.
            }
        }
    }

    /** {@code getLogger(...)}: a logger of the name, the bundle's symbolic name when there is none. */
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
        case "getLogger":
            String name = null;
            Bundle bundle = null;
            Class<?> type = org.osgi.service.log.Logger.class;
            for (Object a : args == null ? new Object[0] : args) {
                if (a instanceof String s) {
                    name = s;
                } else if (a instanceof Bundle b) {
                    bundle = b;
                } else if (a instanceof Class<?> c && org.osgi.service.log.Logger.class.isAssignableFrom(c)) {
                    type = c;
                } else if (a instanceof Class<?> c && name == null) {
                    name = c.getName();
                }
            }
            if (name == null || name.isBlank() || name.equals(org.osgi.service.log.Logger.ROOT_LOGGER_NAME)) {
                name = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : "osgi";
            }
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
                    new Forward(org.slf4j.LoggerFactory.getLogger(name)));
        case "hashCode":
            return System.identityHashCode(proxy);
        case "equals":
            return proxy == args[0];
        case "toString":
            return "LoggerFactory (SLF4J)";
        default:
            throw new UnsupportedOperationException(method.getName());
        }
    }

    /** An OSGi {@code Logger} whose calls go to one SLF4J logger ({@code audit} as info). */
    private record Forward(Logger target) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            String m = method.getName();
            switch (m) {
            case "getName":
                return target.getName();
            case "isTraceEnabled":
                return target.isTraceEnabled();
            case "isDebugEnabled":
                return target.isDebugEnabled();
            case "isInfoEnabled":
                return target.isInfoEnabled();
            case "isWarnEnabled":
                return target.isWarnEnabled();
            case "isErrorEnabled":
                return target.isErrorEnabled();
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return target.getName();
            default:
                break;
            }
            if (args == null || args.length == 0 || !(args[0] instanceof String format)) {
                return null; // the LoggerConsumer forms: nothing to print
            }
            Object[] rest = Arrays.copyOfRange(args, 1, args.length);
            if (rest.length == 1 && rest[0] instanceof Object[] varargs) {
                rest = varargs;
            }
            switch (m) {
            case "trace" -> target.trace(format, rest);
            case "debug" -> target.debug(format, rest);
            case "info", "audit" -> target.info(format, rest);
            case "warn" -> target.warn(format, rest);
            case "error" -> target.error(format, rest);
            default -> {
            }
            }
            return null;
        }
    }
}
