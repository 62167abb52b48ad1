package org.tributary.source.file.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * Keeps one mounted {@link FileMedia} per playable file of one directory, in step with the directory
 * each time {@link #scan()} runs: new files are indexed and mounted, changed files re-indexed, removed
 * or no longer playable files unmounted.
 *
 * <p>Only regular files directly in the directory count: no subdirectories, no hidden files, no names
 * that {@link StreamNames#isSafeFileName} refuses, and a symbolic link only if it resolves to a file
 * directly in the same directory. Each file is opened by its resolved path without following links, so a
 * link swapped in later cannot lead outside.
 *
 * <p>Thread-safe: {@link #scan()} and {@link #close()} are serialized.
 */
final class DirectoryMounts implements Closeable {

    private static final System.Logger LOG = System.getLogger(DirectoryMounts.class.getName());

    private record Stamp(Path realPath, long size, FileTime modified) {
    }

    private record Mounted(Stamp stamp, FileMedia media, Mounter.Mount mount) {
    }

    private final Path directory;
    private final String prefix;
    private final double frameRate;
    private final boolean loop;
    private final Mounter mounter;
    private final Map<String, Mounted> mounted = new TreeMap<>();
    private final Map<String, Stamp> rejected = new HashMap<>();
    private boolean reportedMissing;
    private boolean closed;

    /**
     * @param prefix checked with {@link StreamNames#checkPath}; files mount as {@code prefix/name}
     * @throws IllegalArgumentException if the prefix or frame rate is not valid
     */
    DirectoryMounts(Path directory, String prefix, double frameRate, boolean loop, Mounter mounter) {
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException(directory + ": frame rate must be a positive number, not " + frameRate);
        }
        this.directory = directory;
        this.prefix = StreamNames.checkPath("prefix", prefix);
        this.frameRate = frameRate;
        this.loop = loop;
        this.mounter = mounter;
    }

    /** The stream names mounted now. */
    synchronized Set<String> names() {
        Set<String> names = new TreeSet<>();
        mounted.keySet().forEach(f -> names.add(StreamNames.mountName(prefix, f)));
        return names;
    }

    /** Brings the mounted set in step with the directory. Never throws; problems are logged. */
    synchronized void scan() {
        if (closed) {
            return;
        }
        Map<String, Stamp> found = list();
        for (var it = mounted.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            Stamp now = found.get(entry.getKey());
            if (now == null || !now.realPath().equals(entry.getValue().stamp().realPath())) {
                unmount(entry.getKey(), entry.getValue(), "it is gone");
                it.remove();
            }
        }
        rejected.keySet().retainAll(found.keySet());
        for (var entry : found.entrySet()) {
            String name = entry.getKey();
            Stamp stamp = entry.getValue();
            Mounted current = mounted.get(name);
            if (current != null) {
                if (!current.stamp().equals(stamp)) {
                    refresh(name, current, stamp);
                }
            } else if (!stamp.equals(rejected.get(name))) {
                add(name, stamp);
            }
        }
    }

    private void refresh(String name, Mounted current, Stamp stamp) {
        try {
            if (current.media().index().count() > 0) {
                mounted.put(name, new Mounted(stamp, current.media(), current.mount()));
                return;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}; unmounting it", e.getMessage());
        }
        unmount(name, current, "it is no longer playable");
        mounted.remove(name);
        rejected.put(name, stamp);
    }

    private void add(String name, Stamp stamp) {
        if (!looksPlayable(stamp.realPath())) {
            rejected.put(name, stamp);
            return;
        }
        FileMedia media = new FileMedia(stamp.realPath(), frameRate, loop, false);
        try {
            FrameIndex index = media.index();
            if (index.count() == 0) {
                rejected.put(name, stamp);
                return;
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}; not mounting it", e.getMessage());
            rejected.put(name, stamp);
            return;
        }
        String streamName = StreamNames.mountName(prefix, name);
        try {
            mounted.put(name, new Mounted(stamp, media, mounter.mount(streamName, media)));
            LOG.log(Level.DEBUG, "mounted {0} as {1}", stamp.realPath(), streamName);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot mount " + stamp.realPath() + " as " + streamName, e);
            media.close();
        }
    }

    private void unmount(String name, Mounted m, String why) {
        LOG.log(Level.DEBUG, "unmounting {0}: {1}", StreamNames.mountName(prefix, name), why);
        m.mount().unmount();
        m.media().close();
    }

    /** Candidate files by name, with their resolved path, size and modification time. */
    private Map<String, Stamp> list() {
        Map<String, Stamp> found = new HashMap<>();
        Path realDirectory;
        try {
            realDirectory = directory.toRealPath();
        } catch (IOException e) {
            if (!reportedMissing) {
                LOG.log(Level.WARNING, "{0}: media directory not found; its files appear when it does", directory);
                reportedMissing = true;
            }
            return found;
        }
        reportedMissing = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(realDirectory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !StreamNames.isSafeFileName(name)) {
                    continue;
                }
                try {
                    Path real = entry.toRealPath();
                    if (!realDirectory.equals(real.getParent()) || Files.isHidden(real)) {
                        continue; // a link leading elsewhere, or hidden on a platform with a hidden attribute
                    }
                    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        found.put(name, new Stamp(real, a.size(), a.lastModifiedTime()));
                    }
                } catch (IOException e) {
                    // Removed or made unreadable between listing and reading it: treat it as absent.
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot list the media directory: {1}", directory, e.getMessage());
            return Map.copyOf(mountedStamps());
        }
        return found;
    }

    /** What is mounted now, so a failed listing keeps every stream rather than dropping them all. */
    private Map<String, Stamp> mountedStamps() {
        Map<String, Stamp> stamps = new HashMap<>();
        mounted.forEach((name, m) -> stamps.put(name, m.stamp()));
        return stamps;
    }

    /** A cheap look at the first bytes, so files of other kinds are never indexed. */
    private static boolean looksPlayable(Path file) {
        try (FileChannel channel = FileChannel.open(file, FrameIndex.openOptions(LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer head = ByteBuffer.allocate(MjpegFormat.HEAD_BYTES);
            int n = 0;
            while (head.hasRemaining() && n >= 0) {
                n = channel.read(head);
            }
            return MjpegFormat.detect(head.flip()).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Unmounts everything; later scans do nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        List<Map.Entry<String, Mounted>> all = new ArrayList<>(mounted.entrySet());
        mounted.clear();
        for (var entry : all) {
            unmount(entry.getKey(), entry.getValue(), "the directory source stopped");
        }
    }
}
