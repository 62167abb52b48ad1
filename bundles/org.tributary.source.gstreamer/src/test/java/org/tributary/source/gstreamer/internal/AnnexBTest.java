package org.tributary.source.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnnexBTest {

    private static final byte[] AU = {
        0, 0, 0, 1, 0x67, 0x42, 0x00, 0x1e,     // SPS after a four-byte start code
        0, 0, 1, 0x68, (byte) 0xce, 0x3c,       // PPS after a three-byte one
        0, 0, 0, 1, 0x65, (byte) 0x88, 0x01 };  // IDR slice

    @Test
    void splitsUnitsAtBothStartCodeLengths() {
        List<ByteBuffer> units = AnnexB.units(ByteBuffer.wrap(AU));
        assertEquals(3, units.size());
        assertEquals(AnnexB.SPS, AnnexB.type(units.get(0)));
        assertEquals(AnnexB.PPS, AnnexB.type(units.get(1)));
        assertEquals(AnnexB.IDR, AnnexB.type(units.get(2)));
        assertArrayEquals(new byte[] { 0x67, 0x42, 0x00, 0x1e }, bytes(units.get(0)));
        assertArrayEquals(new byte[] { 0x65, (byte) 0x88, 0x01 }, bytes(units.get(2)));
    }

    @Test
    void parameterSetsAreSpsThenPpsWithoutStartCodes() {
        List<ByteBuffer> sets = AnnexB.parameterSets(ByteBuffer.wrap(AU));
        assertArrayEquals(new byte[] { 0x67, 0x42, 0x00, 0x1e }, bytes(sets.get(0)));
        assertArrayEquals(new byte[] { 0x68, (byte) 0xce, 0x3c }, bytes(sets.get(1)));
    }

    @Test
    void noParameterSetsWithoutBothOfThem() {
        assertEquals(List.of(), AnnexB.parameterSets(ByteBuffer.wrap(new byte[] { 0, 0, 1, 0x41, 0x01 })));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
