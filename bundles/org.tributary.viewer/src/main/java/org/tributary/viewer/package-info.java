/**
 * The viewer's player without its window: {@link org.tributary.viewer.PlayerController} plays one RTSP URL,
 * decodes its pictures off the receive thread and tells a {@link org.tributary.viewer.PlayerListener}; the
 * Swing window and the Gogo command {@code tributary:view} are built on it. Programs and tests drive it without
 * a display.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tributary.viewer;
