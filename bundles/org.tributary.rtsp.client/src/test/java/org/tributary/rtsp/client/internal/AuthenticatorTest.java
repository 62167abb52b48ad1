package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    @Test
    void digestAnswersTheRfc2617Example() {
        Authenticator auth = new Authenticator("Mufasa", "Circle Of Life");
        assertTrue(auth.challenge(List.of("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"")));

        String header = auth.authorization("GET", "/dir/index.html", "0a4f113b");

        assertTrue(header.startsWith("Digest username=\"Mufasa\""), header);
        assertTrue(header.contains("response=\"6629fae49393a05397450978507c4ef1\""), header);
        assertTrue(header.contains("nc=00000001"), header);
        assertTrue(header.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), header);
    }

    @Test
    void digestWithoutQopUsesTheRfc2069Response() {
        Authenticator auth = new Authenticator("user", "pass");
        auth.challenge(List.of("Digest realm=\"GStreamer RTSP Server\", nonce=\"abc\""));

        String header = auth.authorization("DESCRIBE", "rtsp://h/test");

        String ha1 = Authenticator.md5("user:GStreamer RTSP Server:pass");
        String ha2 = Authenticator.md5("DESCRIBE:rtsp://h/test");
        assertTrue(header.contains("response=\"" + Authenticator.md5(ha1 + ":abc:" + ha2) + "\""), header);
        assertTrue(header.contains("uri=\"rtsp://h/test\""), header);
        assertFalse(header.contains("qop"), header);
    }

    @Test
    void digestIsPreferredOverBasic() {
        Authenticator auth = new Authenticator("a", "b");
        auth.challenge(List.of("Basic realm=\"x\"", "Digest realm=\"x\", nonce=\"n\""));
        assertTrue(auth.authorization("OPTIONS", "*").startsWith("Digest "));
    }

    @Test
    void basicEncodesUserAndPassword() {
        Authenticator auth = new Authenticator("Aladdin", "open sesame");
        assertNull(auth.authorization("OPTIONS", "*"), "nothing before a challenge");
        auth.challenge(List.of("Basic realm=\"WallyWorld\""));
        assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", auth.authorization("OPTIONS", "*"));
    }

    @Test
    void unknownSchemesAreNotAnswered() {
        assertFalse(new Authenticator("a", "b").challenge(List.of("Bearer realm=\"x\"")));
    }
}
