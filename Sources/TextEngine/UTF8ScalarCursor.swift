/// Walks valid UTF-8 bytes scalar by scalar, giving each scalar with its byte offset. The text
/// engine works on bytes, not `String.Index`, so every offset it finds is already the document's
/// internal unit.
public struct UTF8ScalarCursor {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    public let limit: Int

    public init(_ bytes: [UInt8], from offset: Int = 0, limit: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.limit = limit ?? bytes.count
    }

    /// The next scalar and the offset it starts at, or nil at the limit.
    @inline(__always)
    public mutating func next() -> (Unicode.Scalar, Int)? {
        guard offset < limit else { return nil }
        let start = offset
        let (scalar, length) = Self.decode(bytes, at: start)
        offset = start + length
        return (scalar, start)
    }

    /// Decodes the scalar at `offset` (which must start a sequence) and its length in bytes.
    /// Bytes that are not valid UTF-8 decode as U+FFFD one byte at a time, so a walk always ends.
    @inline(__always)
    public static func decode(_ bytes: [UInt8], at offset: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[offset]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let count = bytes.count
        // A lead byte only counts with all its continuation bytes (10xxxxxx): otherwise a stray
        // byte would swallow the ASCII or the quotation mark after it.
        @inline(__always) func continues(_ i: Int) -> Bool { i < count && bytes[i] & 0xC0 == 0x80 }
        if b0 >= 0xC2 && b0 < 0xE0 && continues(offset + 1) {
            let value = (UInt32(b0 & 0x1F) << 6) | UInt32(bytes[offset + 1] & 0x3F)
            return (Unicode.Scalar(value) ?? "\u{FFFD}", 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0 && continues(offset + 1) && continues(offset + 2) {
            let value = (UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[offset + 1] & 0x3F) << 6)
                | UInt32(bytes[offset + 2] & 0x3F)
            return (Unicode.Scalar(value) ?? "\u{FFFD}", 3)
        }
        if b0 >= 0xF0 && b0 < 0xF5 && continues(offset + 1) && continues(offset + 2) && continues(offset + 3) {
            let value = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[offset + 1] & 0x3F) << 12)
                | (UInt32(bytes[offset + 2] & 0x3F) << 6) | UInt32(bytes[offset + 3] & 0x3F)
            return (Unicode.Scalar(value) ?? "\u{FFFD}", 4)
        }
        return ("\u{FFFD}", 1)
    }

    /// The offset where the scalar that ends at `offset` starts.
    @inline(__always)
    public static func previousBoundary(_ bytes: [UInt8], before offset: Int) -> Int {
        var i = offset - 1
        while i > 0 && bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return max(i, 0)
    }
}
