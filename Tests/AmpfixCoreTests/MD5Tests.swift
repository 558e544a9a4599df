import AmpfixCore
import Testing

@Suite struct MD5Tests {
    @Test func rfc1321TestSuite() {
        // RFC 1321's test suite.
        #expect(MD5.hex(Array("".utf8)) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)) == "57edf4a22be3c955ac49da2e2107b67a")
        var pieces = MD5()
        for byte in Array("message digest".utf8) { pieces.update([byte]) }
        #expect(pieces.finalize() == "f96b697d7cb7938d525a2f31aaf161d0")
    }
}
