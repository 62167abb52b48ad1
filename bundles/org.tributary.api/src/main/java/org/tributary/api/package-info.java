/**
 * The contract of Tributary: what a source produces, how a stream plays, how packets reach a client,
 * and the control services the frontends use.
 *
 * <h2>Threading and ownership, in short</h2>
 * <ul>
 * <li>Value types ({@link org.tributary.api.Frame}, {@link org.tributary.api.MediaInfo},
 * {@link org.tributary.api.StreamInfo}, {@link org.tributary.api.SessionInfo}) are immutable and may be
 * shared between threads and sessions without copying.</li>
 * <li>Whoever opens a handle closes it: a {@link org.tributary.api.FrameReader} is closed by the caller of
 * {@link org.tributary.api.OnDemandSource#open()}, a {@link org.tributary.api.Playback} by the caller of
 * {@link org.tributary.api.Streams#open}, a {@link org.tributary.api.Delivery} by the caller of
 * {@link org.tributary.api.Transport#open}. Closing twice is harmless.</li>
 * <li>Callbacks ({@link org.tributary.api.FrameSink}, {@link org.tributary.api.DeliveryListener}) run on
 * the caller's threads and must never block: they hand work on and return.</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package org.tributary.api;
