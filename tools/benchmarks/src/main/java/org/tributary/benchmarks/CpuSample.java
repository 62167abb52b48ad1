package org.tributary.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time of every live thread of this JVM at one moment, with the process's CPU time and the
 * collectors' counts, so that two samples give what each side used in between.
 *
 * <p>Threads are put on a side by name: {@link #CLIENT} for the RTSP client library's threads
 * ({@code tributary-rtsp-client-*}), {@link #HARNESS} for the measuring program's own ({@code main}),
 * {@link #SERVER} for everything else: the core, RTSP server and transport threads, the live source's thread
 * (which also runs the core's fan-out) and the JVM's own Java threads. Garbage collection and JIT compilation
 * run on threads the JVM does not list; they appear only in the process total.
 *
 * <p>A thread that ends between two samples loses its time since the first; the core's and the server's
 * pools end only idle threads, so this is small.
 */
final class CpuSample {

    static final String SERVER = "server";
    static final String CLIENT = "client";
    static final String HARNESS = "harness";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long takenAt;
    private final Map<Long, String> names;
    private final Map<Long, Long> cpu;
    private final long processCpu;
    private final long gcCount;
    private final long gcMillis;

    private CpuSample(long takenAt, Map<Long, String> names, Map<Long, Long> cpu, long processCpu, long gcCount,
            long gcMillis) {
        this.takenAt = takenAt;
        this.names = names;
        this.cpu = cpu;
        this.processCpu = processCpu;
        this.gcCount = gcCount;
        this.gcMillis = gcMillis;
    }

    /**
     * Samples now.
     *
     * @throws IllegalStateException if this JVM cannot measure the CPU time of threads
     */
    static CpuSample take() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure the CPU time of threads");
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long time = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] != null && time >= 0) {
                names.put(ids[i], infos[i].getThreadName());
                cpu.put(ids[i], time);
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new CpuSample(System.nanoTime(), names, cpu, processCpuNanos(), gcCount, gcMillis);
    }

    /** The side a thread is counted on, by its name. */
    static String side(String threadName) {
        if (threadName.startsWith("tributary-rtsp-client-")) {
            return CLIENT;
        }
        if (threadName.equals("main")) {
            return HARNESS;
        }
        return SERVER;
    }

    /**
     * A thread's group for a breakdown: its name without the pool and thread numbers Netty and executors
     * append ({@code tributary-rtsp-io-3-1} is {@code tributary-rtsp-io}).
     */
    static String group(String threadName) {
        return threadName.replaceAll("(-\\d+)+$", "");
    }

    /** CPU nanoseconds each side used from {@code before} to this sample, by {@link #side}. */
    Map<String, Long> sidesSince(CpuSample before) {
        Map<String, Long> sides = new TreeMap<>();
        sides.put(SERVER, 0L);
        sides.put(CLIENT, 0L);
        sides.put(HARNESS, 0L);
        cpu.forEach((id, time) -> sides.merge(side(names.get(id)), time - before.cpu.getOrDefault(id, 0L), Long::sum));
        return sides;
    }

    /** CPU nanoseconds the server side's thread groups used from {@code before} to this sample. */
    Map<String, Long> serverGroupsSince(CpuSample before) {
        Map<String, Long> groups = new TreeMap<>();
        cpu.forEach((id, time) -> {
            String name = names.get(id);
            if (side(name).equals(SERVER)) {
                groups.merge(group(name), time - before.cpu.getOrDefault(id, 0L), Long::sum);
            }
        });
        return groups;
    }

    /** The process's CPU nanoseconds from {@code before} to this sample (every thread, GC and JIT included). */
    long processSince(CpuSample before) {
        return processCpu - before.processCpu;
    }

    /** Collections from {@code before} to this sample. */
    long gcCountSince(CpuSample before) {
        return gcCount - before.gcCount;
    }

    /** Milliseconds the collectors reported from {@code before} to this sample. */
    long gcMillisSince(CpuSample before) {
        return gcMillis - before.gcMillis;
    }

    /** Wall-clock nanoseconds from {@code before} to this sample. */
    long nanosSince(CpuSample before) {
        return takenAt - before.takenAt;
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
