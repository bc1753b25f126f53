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

    /// The paragraphs of `utf8`, an edited version of `old` whose paragraphs were `oldRanges`:
    /// equal to `ranges(in: utf8)`, but only the lines between the first and the last byte that
    /// differ are read again; the paragraphs before are kept and those after shifted.
    public static func ranges(in utf8: [UInt8], editedFrom old: [UInt8], oldRanges: [Range<Int>]) -> [Range<Int>] {
        ranges(in: utf8, editedFrom: old, oldRanges: oldRanges, commonEnds: commonEnds(old, utf8))
    }

    /// `ranges(in:editedFrom:oldRanges:)` given `commonEnds(old, utf8)` (the caller has it).
    public static func ranges(
        in utf8: [UInt8], editedFrom old: [UInt8], oldRanges: [Range<Int>], commonEnds: (prefix: Int, suffix: Int)
    ) -> [Range<Int>] {
        let (prefix, suffix) = commonEnds
        if prefix == old.count && prefix == utf8.count { return oldRanges }
        let delta = utf8.count - old.count
        // From just after the last line break before the first difference (paragraphs start and
        // end on lines, and the lines before are the same)...
        var start = prefix
        while start > 0 && utf8[start - 1] != 0x0A && utf8[start - 1] != 0x0D { start -= 1 }
        // ...to the first line break in the common end (the lines after it are the same, shifted).
        var end = utf8.count - suffix
        while end < utf8.count && utf8[end] != 0x0A && utf8[end] != 0x0D { end += 1 }
        var result: [Range<Int>] = []
        result.reserveCapacity(oldRanges.count + 8)
        var index = 0
        while index < oldRanges.count && oldRanges[index].lowerBound < start {
            result.append(oldRanges[index])
            index += 1
        }
        scanLines(utf8, from: start, to: end, into: &result)
        if end < utf8.count {
            let oldEnd = end - delta
            for range in oldRanges[index...] where range.lowerBound > oldEnd {
                result.append((range.lowerBound + delta)..<(range.upperBound + delta))
            }
        }
        return result
    }

    /// The paragraphs of the lines in `start..<end`: `start` is 0 or just after a line break,
    /// `end` is the text's end or at a line break.
    static func scanLines(_ utf8: [UInt8], from start: Int, to end: Int, into result: inout [Range<Int>]) {
        var lineStart = start
        var i = start
        let count = utf8.count
        while i <= end {
            if i == end || utf8[i] == 0x0A || utf8[i] == 0x0D {
                if let trimmed = trim(lineStart..<i, in: utf8) { result.append(trimmed) }
                if i < end && utf8[i] == 0x0D && i + 1 < count && utf8[i + 1] == 0x0A { i += 1 }
                lineStart = i + 1
            }
            i += 1
        }
    }

    /// Lengths of the longest common prefix and the longest common suffix that does not overlap it.
    public static func commonEnds(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let limit = min(a.count, b.count)
                guard limit > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
                let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
                var prefix = 0
                // Eight bytes at a time, then byte by byte.
                while prefix + 8 <= limit
                    && ra.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                        == rb.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                {
                    prefix += 8
                }
                while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
                var suffix = 0
                let room = limit - prefix
                while suffix + 8 <= room
                    && ra.loadUnaligned(fromByteOffset: a.count - suffix - 8, as: UInt64.self)
                        == rb.loadUnaligned(fromByteOffset: b.count - suffix - 8, as: UInt64.self)
                {
                    suffix += 8
                }
                while suffix < room && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }

    /// `commonEnds(a, b)`, given that at least `prefix` bytes at the start and `suffix` at the end
    /// are the same (what an edit left alone, not overlapping in either text): only the bytes next
    /// to what is known are read, not the whole texts.
    public static func commonEnds(_ a: [UInt8], _ b: [UInt8], atLeast known: (prefix: Int, suffix: Int))
        -> (prefix: Int, suffix: Int)
    {
        let limit = min(a.count, b.count)
        // Not what an edit can leave: worked out in full.
        guard known.prefix >= 0 && known.suffix >= 0 && known.prefix + known.suffix <= limit else { return commonEnds(a, b) }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var prefix = known.prefix
                while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
                // The suffix stops where the prefix ends in the shorter text, as `commonEnds` has it.
                let room = limit - prefix
                if known.suffix >= room { return (prefix, room) }
                var suffix = known.suffix
                while suffix < room && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }

    /// Whether two byte ranges hold the same bytes (eight at a time).
    public static func bytesEqual(_ a: [UInt8], _ ra: Range<Int>, _ b: [UInt8], _ rb: Range<Int>) -> Bool {
        guard ra.count == rb.count else { return false }
        return a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                var i = 0
                let count = ra.count
                while i + 8 <= count {
                    if a.loadUnaligned(fromByteOffset: ra.lowerBound + i, as: UInt64.self)
                        != b.loadUnaligned(fromByteOffset: rb.lowerBound + i, as: UInt64.self)
                    {
                        return false
                    }
                    i += 8
                }
                while i < count {
                    if a[ra.lowerBound + i] != b[rb.lowerBound + i] { return false }
                    i += 1
                }
                return true
            }
        }
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
