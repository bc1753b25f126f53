/// Paragraph boundaries of plain text.
///
/// A paragraph is a line with some non-space text: news text, as wire services and the corpora
/// deliver it, puts one paragraph on a line. (Markup documents whose paragraphs wrap over several
/// lines reach the annotators with their soft line breaks already turned into spaces.)
public enum Paragraphs {
    /// The UTF-8 ranges of the paragraphs of `utf8`, in order, without their line breaks and
    /// without leading or trailing white space.
    public static func ranges(in utf8: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lineStart = 0
        let count = utf8.count
        var i = 0
        while i <= count {
            if i == count || utf8[i] == 0x0A || utf8[i] == 0x0D {
                if let trimmed = trim(lineStart..<i, in: utf8) { result.append(trimmed) }
                if i < count && utf8[i] == 0x0D && i + 1 < count && utf8[i + 1] == 0x0A { i += 1 }
                lineStart = i + 1
            }
            i += 1
        }
        return result
    }

    /// The range without the white space at either end, or nil when nothing else is left.
    static func trim(_ range: Range<Int>, in utf8: [UInt8]) -> Range<Int>? {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, let length = whiteSpaceLength(utf8, at: start) { start += length }
        while end > start {
            let previous = UTF8ScalarCursor.previousBoundary(utf8, before: end)
            guard whiteSpaceLength(utf8, at: previous) != nil else { break }
            end = previous
        }
        return start < end ? start..<end : nil
    }

    /// Length of the white-space scalar at `offset`, or nil when it is not white space.
    @inline(__always)
    static func whiteSpaceLength(_ utf8: [UInt8], at offset: Int) -> Int? {
        let byte = utf8[offset]
        if byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C { return 1 }
        if byte < 0x80 { return nil }
        let (scalar, length) = UTF8ScalarCursor.decode(utf8, at: offset)
        return scalar.properties.isWhitespace ? length : nil
    }
}
