import AnnotationModel

/// Decides a document's language from its letters: Arabic when Arabic-script letters outnumber
/// Latin ones, English otherwise. The two first-class languages differ in script, so counting
/// letters is both fast and exact enough; a client that knows better overrides it.
public enum LanguageDetector {
    /// Looks at no more than `sampleBytes` bytes from the start: a news text does not change script.
    /// How much of a text decides its language (the rest is not read).
    public static let defaultSampleBytes = 64 * 1024

    public static func detect(_ utf8: [UInt8], sampleBytes: Int = defaultSampleBytes) -> Language {
        utf8.withUnsafeBufferPointer { detect(buffer: $0, sampleBytes: sampleBytes) }
    }

    /// The language of `utf8[range]` alone, as `detect(Array(utf8[range]))` decides it, without
    /// copying the bytes.
    public static func detect(_ utf8: [UInt8], in range: Range<Int>) -> Language {
        utf8.withUnsafeBufferPointer { detect(buffer: UnsafeBufferPointer(rebasing: $0[range]), sampleBytes: 64 * 1024) }
    }

    public static func detect(_ text: String) -> Language {
        var text = text
        return text.withUTF8 { detect(buffer: $0, sampleBytes: 64 * 1024) }
    }

    /// One pass over raw bytes: ASCII (most of an English text, the spaces and digits of an
    /// Arabic one) is counted without decoding; other scalars decode as `UTF8ScalarCursor` does.
    static func detect(buffer bytes: UnsafeBufferPointer<UInt8>, sampleBytes: Int) -> Language {
        let (arabic, latin) = letterCounts(bytes, sampleBytes: sampleBytes, stopWhenDecided: true)
        return arabic > latin ? .arabic : .english
    }

    /// Arabic-script and Latin letters in the first `sampleBytes` bytes (a scalar started before
    /// the limit is read whole). With `stopWhenDecided`, counting stops once the bytes left cannot
    /// change which count is larger, so the counts are then partial but their order is final.
    static func letterCounts(
        _ bytes: UnsafeBufferPointer<UInt8>, sampleBytes: Int, stopWhenDecided: Bool
    ) -> (arabic: Int, latin: Int) {
        var arabic = 0
        var latin = 0
        let limit = min(bytes.count, sampleBytes)
        var offset = 0
        while offset < limit {
            // Before each stretch of a few hundred bytes: stop once the bytes left cannot change
            // the answer. They add at most one Latin letter each, and an Arabic letter takes two
            // bytes (one of them may lie past `limit`, as a scalar started before it is read whole).
            if stopWhenDecided {
                let left = limit - offset
                if arabic > latin + left || arabic + (left + 1) / 2 <= latin { break }
            }
            // Eight bytes at a time while they are ASCII, U+0600–U+067F (lead byte D8 or D9) and
            // continuation bytes, which is nearly all of an English or Arabic news text. Each test
            // leaves the high bit of every byte that passes it; the letters' bits are summed per
            // byte and added up every 31 chunks (a byte's sum stays below 256). A scalar at a time
            // over Arabic text was 7% of annotating it.
            var latinLanes: UInt64 = 0
            var arabicLanes: UInt64 = 0
            var chunks = 0
            let base = bytes.baseAddress!
            while chunks < 31 && offset + 8 <= limit && offset + 9 <= bytes.count {
                let chunk = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                let high = chunk & Self.highBits
                var lead: UInt64 = 0
                if high != 0 {
                    let continuation = high & ~(chunk << 1)  // 10xxxxxx
                    lead = Self.bytesEqual(chunk & Self.repeated(0xFE), 0xD8)  // D8 or D9
                    guard high & ~(continuation | lead) == 0 else { break }
                }
                // Latin: a...z with bit 5 set, among the ASCII bytes (their high bits cleared
                // first, so that no addition carries into the next byte).
                let folded = (chunk & ~Self.highBits) | Self.repeated(0x20)
                let atLeastA = folded &+ Self.repeated(0x1F)  // high bit: >= 0x61
                let pastZ = folded &+ Self.repeated(0x05)  // high bit: >= 0x7B
                latinLanes &+= (atLeastA & ~pastZ & ~high & Self.highBits) >> 7
                if lead != 0 {
                    // A lead's scalar is U+0600 plus the 7-bit index (lead bit 0, then the
                    // continuation byte's low six bits): letters are indexes 0x20...0x4A and
                    // 0x6E...0x7F. The continuation byte is the next byte (for the chunk's last
                    // lead, the first byte of the next chunk).
                    let following = UnsafeRawPointer(base + offset).loadUnaligned(fromByteOffset: 1, as: UInt64.self)
                    let index = ((chunk & Self.repeated(0x01)) << 6) | (following & Self.repeated(0x3F))
                    let atLeast20 = index &+ Self.repeated(0x80 - 0x20)
                    let atLeast4B = index &+ Self.repeated(0x80 - 0x4B)
                    let atLeast6E = index &+ Self.repeated(0x80 - 0x6E)
                    let followingContinues = following & ~(following << 1)
                    let letters = ((atLeast20 & ~atLeast4B) | atLeast6E) & lead & followingContinues & Self.highBits
                    arabicLanes &+= letters >> 7
                }
                offset += 8
                chunks += 1
            }
            latin += Int(truncatingIfNeeded: (latinLanes &* Self.repeated(0x01)) >> 56)
            arabic += Int(truncatingIfNeeded: (arabicLanes &* Self.repeated(0x01)) >> 56)
            if chunks == 31 { continue }
            // A chunk with other scalars, or the last bytes: one scalar at a time.
            let scalarsUntil = min(offset + 8, limit)
            while offset < scalarsUntil {
                let b0 = bytes[offset]
                if b0 < 0x80 {
                    if (b0 | 0x20) &- 0x61 < 26 { latin += 1 }
                    offset += 1
                    continue
                }
                let (value, length) = decode(bytes, at: offset)
                offset += length
                if (0x0600...0x06FF).contains(value) {
                    // The main Arabic block by ranges: asking Unicode's alphabetic property of every
                    // scalar was the largest single cost of annotating an Arabic text. Letters only:
                    // not the diacritics, digits, punctuation or Quranic marks.
                    if (0x0620...0x064A).contains(value) || (0x066E...0x06D3).contains(value) || value == 0x06D5
                        || (0x06EE...0x06EF).contains(value) || (0x06FA...0x06FF).contains(value)
                    {
                        arabic += 1
                    }
                } else if (0x0750...0x077F).contains(value)
                    || (0x08A0...0x08FF).contains(value) || (0xFB50...0xFDFF).contains(value)
                    || (0xFE70...0xFEFF).contains(value)
                {
                    if let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic { arabic += 1 }
                } else if (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                    || (0xC0...0x24F).contains(value)
                {
                    latin += 1
                }
            }
        }
        return (arabic, latin)
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* 0x0101_0101_0101_0101 }

    /// The high bit of each byte of `word` that equals `byte`, and no other bit (exact: no
    /// addition below carries out of its byte).
    @inline(__always)
    private static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ repeated(byte)
        let low = repeated(0x7F)
        return ~(((difference & low) &+ low) | difference | low)
    }

    /// `UTF8ScalarCursor.decode` over a buffer, for a lead byte of 0x80 or more: the scalar value
    /// (U+FFFD for bytes that are not valid UTF-8, one byte at a time) and its length.
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt32, Int) {
        let b0 = bytes[offset]
        let count = bytes.count
        @inline(__always) func continues(_ i: Int) -> Bool { i < count && bytes[i] & 0xC0 == 0x80 }
        if b0 >= 0xC2 && b0 < 0xE0 && continues(offset + 1) {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(bytes[offset + 1] & 0x3F), 2)
        }
        if b0 >= 0xE0 && b0 < 0xF0 && continues(offset + 1) && continues(offset + 2) {
            let value = (UInt32(b0 & 0x0F) << 12) | (UInt32(bytes[offset + 1] & 0x3F) << 6)
                | UInt32(bytes[offset + 2] & 0x3F)
            return (Unicode.Scalar(value) == nil ? 0xFFFD : value, 3)
        }
        if b0 >= 0xF0 && b0 < 0xF5 && continues(offset + 1) && continues(offset + 2) && continues(offset + 3) {
            let value = (UInt32(b0 & 0x07) << 18) | (UInt32(bytes[offset + 1] & 0x3F) << 12)
                | (UInt32(bytes[offset + 2] & 0x3F) << 6) | UInt32(bytes[offset + 3] & 0x3F)
            return (Unicode.Scalar(value) == nil ? 0xFFFD : value, 4)
        }
        return (0xFFFD, 1)
    }
}
