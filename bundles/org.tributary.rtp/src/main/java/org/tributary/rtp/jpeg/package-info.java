/** JPEG (JFIF) parsing: image boundaries, and the parts RTP payload formats need. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tributary.rtp.jpeg;
