package org.tributary.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsServletTest {

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\nd", MetricsServlet.escape("a\"b\\c\nd"));
    }

    @Test
    void withoutServicesOnlyTheUpGaugesAreZero() {
        String text = MetricsServlet.render(null, null);
        assertTrue(text.contains("tributary_up{component=\"streams\"} 0\n"), text);
        assertTrue(text.contains("tributary_up{component=\"rtsp\"} 0\n"), text);
        assertTrue(text.contains("# TYPE tributary_session_sent_bytes_total counter\n"), text);
    }
}
