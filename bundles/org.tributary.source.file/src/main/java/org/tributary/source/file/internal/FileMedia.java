package org.tributary.source.file.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
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
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegException;

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
 * <p>Problems: when the file cannot be read or has no playable frame, {@link #problem()} says so (the stream is
 * listed FAILED with it) until the file appears or changes.
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
    // What the last attempt to read the file found wrong ("" when nothing), the file's attributes then (null if
    // it could not be read), and when problem() last looked at the file again.
    private volatile String problem = "";
    private volatile FileStamp problemStamp;
    private volatile long problemCheckedNanos;
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
            throw failed(unreadable(e), null);
        }
        if (!attributes.isRegularFile()) {
            throw failed(new IOException(file + ": not a regular file"
                    + (attributes.isSymbolicLink() ? " but a symbolic link" : "")), FileStamp.of(attributes));
        }
        if (index != null && index.matches(attributes)) {
            return index;
        }
        FrameIndex fresh;
        try {
            fresh = FrameIndex.build(file, links);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw failed(unreadable(e), null);
        } catch (IOException e) {
            throw failed(e, FileStamp.of(attributes));
        }
        String carried = fresh.count() == 0 ? null : uncarriable(fresh);
        if (fresh.count() == 0) {
            setProblem(fresh.damage().map(d -> d.message(file.toString())).orElse(file + ": no frames"),
                    FileStamp.of(attributes));
        } else if (carried != null) {
            setProblem(carried, FileStamp.of(attributes));
        } else {
            problem = "";
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
     * Why RTP/JPEG (RFC 2435) cannot carry the file's first frame (4:4:4 sampling, optimized Huffman tables, a
     * progressive image), or {@code null} when it can or the frame cannot be read here; the frames of one file are
     * encoded alike, so the first tells.
     */
    private String uncarriable(FrameIndex fresh) {
        try (FileChannel channel = FileChannel.open(file, FrameIndex.openOptions(links))) {
            ByteBuffer frame = ByteBuffer.allocate(fresh.length(0));
            long at = fresh.offset(0);
            while (frame.hasRemaining() && channel.read(frame, at + frame.position()) >= 0) {
                // Reads until the frame is whole or the file ends.
            }
            frame.flip();
            String why = Jfif.parse(frame).incompatibility();
            return why == null ? null : file + ": frame 0 cannot be sent over RTP/JPEG: " + why;
        } catch (IOException | JpegException e) {
            return null;
        }
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
            throw failed(unreadable(e), null);
        }
        FileFrameReader reader = new FileFrameReader(this, current, channel, frameRate, loop);
        readers.add(reader);
        if (closed) {
            reader.close();
            throw new IOException(file + ": the source was stopped");
        }
        return reader;
    }

    /**
     * {@inheritDoc}
     *
     * <p>What the last attempt to read the file found. While there is a problem, the file's attributes are looked
     * at again at most once a second; when the file has appeared or changed, the problem is cleared, so the
     * stream is offered again and the next {@link #open()} reads it and tells.
     */
    @Override
    public String problem() {
        String now = problem;
        if (now.isEmpty()) {
            return now;
        }
        long t = System.nanoTime();
        if (t - problemCheckedNanos < 1_000_000_000L) {
            return now;
        }
        problemCheckedNanos = t;
        FileStamp stamp;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, links);
            stamp = attributes.isRegularFile() && Files.isReadable(file) ? FileStamp.of(attributes) : null;
        } catch (IOException e) {
            stamp = null;
        }
        if (stamp != null && !stamp.equals(problemStamp)) {
            problem = "";
            return "";
        }
        return now;
    }

    /**
     * Marks the source failed for a reason found outside it (e.g. the file could not be made); {@link #problem()}
     * says {@code why} until the file appears or changes.
     */
    void fail(String why) {
        FileStamp stamp;
        try {
            stamp = FileStamp.of(Files.readAttributes(file, BasicFileAttributes.class, links));
        } catch (IOException e) {
            stamp = null;
        }
        setProblem(why, stamp);
    }

    private IOException failed(IOException e, FileStamp stamp) {
        setProblem(e.getMessage() == null ? file + ": cannot be read" : e.getMessage(), stamp);
        return e;
    }

    private void setProblem(String why, FileStamp stamp) {
        problemStamp = stamp;
        problemCheckedNanos = System.nanoTime();
        problem = why;
    }

    /** A file's size and modification time: what tells that it changed. */
    private record FileStamp(long size, long modifiedMillis) {
        static FileStamp of(BasicFileAttributes attributes) {
            return new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis());
        }
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
