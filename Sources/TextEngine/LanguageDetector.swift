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
        var arabic = 0
        var latin = 0
        let limit = min(bytes.count, sampleBytes)
        var offset = 0
        var nextCheck = 0
        while offset < limit {
            // Every few hundred bytes: stop once the bytes left cannot change the answer. They add
            // at most one Latin letter each, and an Arabic letter takes two bytes (one of them may
            // lie past `limit`, as a scalar started before it is read whole).
            if offset >= nextCheck {
                let left = limit - offset
                if arabic > latin + left || arabic + (left + 1) / 2 <= latin { break }
                nextCheck = offset + 256
            }
            // Eight ASCII bytes at a time: a byte is a Latin letter when, with bit 5 set
            // (lowercase), it lies in a...z; with every high bit clear the additions below
            // carry into no neighbouring byte.
            if offset + 8 <= limit {
                let chunk = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
                if chunk & 0x8080_8080_8080_8080 == 0 {
                    let folded = chunk | 0x2020_2020_2020_2020
                    let atLeastA = folded &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit: >= 0x61
                    let pastZ = folded &+ 0x0505_0505_0505_0505  // high bit: >= 0x7B
                    latin += (atLeastA & ~pastZ & 0x8080_8080_8080_8080).nonzeroBitCount
                    offset += 8
                    continue
                }
            }
            let b0 = bytes[offset]
            if b0 < 0x80 {
                if (b0 | 0x20) &- 0x61 < 26 { latin += 1 }
                offset += 1
                continue
            }
            // A run of two-byte scalars of U+0600–U+067F, most of an Arabic text, in one loop: the
            // letters among them are U+0620–U+064A and U+066E–U+067F (as the ranges below say).
            if b0 &- 0xD8 < 2 {
                var next = offset
                while next < limit && next + 1 < bytes.count {
                    let lead = bytes[next]
                    let trail = bytes[next + 1]
                    guard lead &- 0xD8 < 2 && trail & 0xC0 == 0x80 else { break }
                    let value = (UInt32(lead & 0x1F) << 6) | UInt32(trail & 0x3F)
                    if value &- 0x0620 <= 0x064A - 0x0620 || value >= 0x066E { arabic += 1 }
                    next += 2
                }
                if next != offset {
                    offset = next
                    continue
                }
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
        return arabic > latin ? .arabic : .english
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
