package org.tributary.viewer.internal;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import javax.swing.JComponent;

/**
 * Shows the newest picture, scaled to fit with its aspect ratio kept, on black. {@link #show} may be called from
 * any thread: it only swaps the picture and asks for a repaint, and Swing folds repaints that come faster than
 * it paints into one.
 */
final class VideoPanel extends JComponent {

    private static final long serialVersionUID = 1L;

    private transient volatile BufferedImage picture;

    VideoPanel() {
        setOpaque(true);
        setBackground(Color.BLACK);
        setPreferredSize(new Dimension(800, 480));
    }

    void show(BufferedImage next) {
        picture = next;
        repaint();
    }

    void clear() {
        picture = null;
        repaint();
    }

    @Override
    protected void paintComponent(Graphics g) {
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, getWidth(), getHeight());
        BufferedImage p = picture;
        if (p == null) {
            return;
        }
        double scale = Math.min(getWidth() / (double) p.getWidth(), getHeight() / (double) p.getHeight());
        int w = (int) Math.round(p.getWidth() * scale);
        int h = (int) Math.round(p.getHeight() * scale);
        Graphics2D g2 = (Graphics2D) g;
        // Bilinear only when shrinking little: at 1080p into a small window it costs more than the frame period.
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, scale >= 0.5
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g2.drawImage(p, (getWidth() - w) / 2, (getHeight() - h) / 2, w, h, null);
    }
}
