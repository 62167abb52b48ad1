package org.tributary.source.file.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.tributary.api.FrameReader;
import org.tributary.api.MediaInfo;
import org.tributary.api.OnDemandSource;

/**
 * One MJPEG file as an on-demand source: every {@link #open()} gives an independent {@link FrameReader}
 * with its own file handle, reading frames by position through a shared {@link FrameIndex}.
 *
 * <p>The index is built at the first {@link #index()} (or {@link #open()}) and rebuilt only when the
 * file's size or modification time changes. {@link #info()} returns what the last index said and never
 * touches the disk; before the first successful index it reports size 0x0 and duration 0.
 *
 * <p>Damage: the index ends at the first damaged frame. A non-looping reader delivers every good frame,
 * then its {@link FrameReader#next()} throws an {@link IOException} naming the file, the frame number and
 * the byte offset, then returns {@code null}. A looping reader plays the good frames in a loop, because a
 * stream that fails once per pass helps nobody; the damage is logged when the file is indexed.
 *
 * <p>Thread-safe. {@link #close()} closes every reader still open, so nothing holds the file afterwards.
 */
final class FileMedia implements OnDemandSource, Closeable {

    private static final System.Logger LOG = System.getLogger(FileMedia.class.getName());

    private final Path file;
    private final double frameRate;
    private final boolean loop;
    private final LinkOption[] links;
    private final Set<FileFrameReader> readers = ConcurrentHashMap.newKeySet();
    private volatile MediaInfo info;
    private volatile boolean closed;
    private FrameIndex index; // guarded by this

    /**
     * @param file the MJPEG file
     * @param frameRate frames per second; frame i is presented at i / frameRate
     * @param loop whether readers start again at frame 0 after the last frame
     * @param followLinks false to refuse the file if its last path element is (or becomes) a symbolic link
     */
    FileMedia(Path file, double frameRate, boolean loop, boolean followLinks) {
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException(file + ": frame rate must be a positive number, not " + frameRate);
        }
        this.file = file;
        this.frameRate = frameRate;
        this.loop = loop;
        this.links = followLinks ? new LinkOption[0] : new LinkOption[] { LinkOption.NOFOLLOW_LINKS };
        this.info = MediaInfo.jpeg(0, 0, frameRate, Duration.ZERO);
    }

    /** The file this source plays. */
    Path file() {
        return file;
    }

    /** Whether readers loop. */
    boolean loop() {
        return loop;
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    /**
     * The file's frame index, rebuilt first if the file changed since it was last built.
     *
     * @throws IOException if the file cannot be read or is not an MJPEG file; the message names it
     */
    synchronized FrameIndex index() throws IOException {
        if (closed) {
            throw new IOException(file + ": the source was stopped");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, links);
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(file + ": not a regular file" + (attributes.isSymbolicLink() ? " but a symbolic link" : ""));
        }
        if (index != null && index.matches(attributes)) {
            return index;
        }
        FrameIndex fresh;
        try {
            fresh = FrameIndex.build(file, links);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw unreadable(e);
        }
        fresh.damage().ifPresent(d -> LOG.log(Level.WARNING, "{0}; {1} frames before it play",
                d.message(file.toString()), fresh.count()));
        JpegSize size = fresh.size();
        info = MediaInfo.jpeg(size.width(), size.height(), frameRate,
                Duration.ofNanos(FrameIndex.timestampNanos(fresh.count(), frameRate)));
        index = fresh;
        return fresh;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IOException if the file cannot be read, is not an MJPEG file, or has no good frame
     */
    @Override
    public FrameReader open() throws IOException {
        FrameIndex current = index();
        if (current.count() == 0) {
            throw new IOException(current.damage().map(d -> d.message(file.toString()))
                    .orElse(file + ": no frames"));
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, FrameIndex.openOptions(links));
        } catch (IOException e) {
            throw unreadable(e);
        }
        FileFrameReader reader = new FileFrameReader(this, current, channel, frameRate, loop);
        readers.add(reader);
        if (closed) {
            reader.close();
            throw new IOException(file + ": the source was stopped");
        }
        return reader;
    }

    /** Called by a reader when it closes. */
    void closed(FileFrameReader reader) {
        readers.remove(reader);
    }

    /** The number of readers open now. */
    int openReaders() {
        return readers.size();
    }

    /** Closes every open reader; later {@link #open()} calls fail. */
    @Override
    public void close() {
        closed = true;
        for (FileFrameReader reader : readers) {
            reader.close();
        }
    }

    private IOException unreadable(IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IOException(file + ": cannot read: " + why, e);
    }

    @Override
    public String toString() {
        return "FileMedia[" + file + (loop ? ", loop" : "") + ", " + frameRate + " fps]";
    }
}
