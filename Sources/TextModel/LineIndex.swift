/// Converts between Scholia's internal offsets (UTF-8 bytes) and what clients count: offsets and
/// line/character positions in UTF-8, UTF-16 or UTF-32 units.
///
/// Lines end at `\n`, `\r\n` or `\r`, as LSP defines them. Conversion is exact for every scalar
/// (Arabic, combining marks, emoji outside the BMP that UTF-16 counts as two units).
///
/// Cost: building is one pass over the bytes. A conversion is a binary search over checkpoints
/// kept every `checkpointStride` bytes plus a scan of at most that many bytes, so a document made of
/// one very long line (a minified file, a paragraph-less dump) converts as fast as a short one.
public struct LineIndex: Sendable {
    /// Why a position from a client does not name a place in the text.
    public enum PositionError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The line is past the last line of the document.
        case lineOutOfRange(line: Int, lineCount: Int)
        /// A negative line or character.
        case negative
        /// The position falls between the units of one character (half of a surrogate pair,
        /// the middle of a UTF-8 sequence): the client counts in another encoding than it agreed.
        case insideCharacter(line: Int, character: Int)
        /// A range whose end comes before its start.
        case reversedRange

        public var description: String {
            switch self {
            case .lineOutOfRange(let line, let count):
                return "line \(line) is outside the document (it has \(count) line\(count == 1 ? "" : "s"))"
            case .negative:
                return "negative line or character"
            case .insideCharacter(let line, let character):
                return "position \(line):\(character) falls inside a character"
            case .reversedRange:
                return "range ends before it starts"
            }
        }
    }

    struct Checkpoint: Sendable {
        var utf8: Int
        var utf16: Int
        var utf32: Int

        @inline(__always)
        func offset(in encoding: PositionEncoding) -> Int {
            switch encoding {
            case .utf8: return utf8
            case .utf16: return utf16
            case .utf32: return utf32
            }
        }
    }

    static let checkpointStride = 128

    /// The document's bytes.
    public let utf8: [UInt8]
    /// UTF-8 offset at which each line starts; the first is 0. Never empty.
    public let lineStarts: [Int]
    private let checkpoints: [Checkpoint]
    private let totals: Checkpoint

    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// `utf8` must be valid UTF-8 (as every Swift `String`'s bytes are).
    public init(utf8 bytes: [UInt8]) {
        var lineStarts = [0]
        var checkpoints = [Checkpoint(utf8: 0, utf16: 0, utf32: 0)]
        var utf16 = 0
        var utf32 = 0
        var nextCheckpoint = Self.checkpointStride
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            Self.scan(buffer, from: 0, to: count, utf16: &utf16, utf32: &utf32, nextCheckpoint: &nextCheckpoint,
                      lineStarts: &lineStarts, checkpoints: &checkpoints)
        }
        self.utf8 = bytes
        self.lineStarts = lineStarts
        self.checkpoints = checkpoints
        self.totals = Checkpoint(utf8: count, utf16: utf16, utf32: utf32)
    }

    private init(utf8: [UInt8], lineStarts: [Int], checkpoints: [Checkpoint], totals: Checkpoint) {
        self.utf8 = utf8
        self.lineStarts = lineStarts
        self.checkpoints = checkpoints
        self.totals = totals
    }

    /// The index of the text with the UTF-8 `range` replaced by `replacement` (valid UTF-8, at
    /// scalar boundaries), without scanning the whole text again: only the lines the edit touches
    /// are read; line starts and checkpoints after them are shifted. Equal to
    /// `LineIndex(utf8: newBytes)` in every answer it gives.
    public func replacing(_ range: Range<Int>, with replacement: [UInt8]) -> LineIndex {
        let old = utf8
        precondition(range.lowerBound >= 0 && range.upperBound <= old.count, "edit outside the text")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(old.count - range.count + replacement.count)
        bytes.append(contentsOf: old[..<range.lowerBound])
        bytes.append(contentsOf: replacement)
        bytes.append(contentsOf: old[range.upperBound...])
        let delta = replacement.count - range.count
        // Scan from the start of the line before the edit (a clean state: no CR pending)...
        let firstLine = line(containing: max(range.lowerBound - 1, 0))
        let start = lineStarts[firstLine]
        // ...to the start of the line after it, which the old text and the new share (shifted).
        let lastLine = line(containing: range.upperBound)
        let oldEnd = lastLine + 1 < lineStarts.count ? lineStarts[lastLine + 1] : old.count
        let end = oldEnd + delta

        var newLineStarts = Array(lineStarts[...firstLine])
        let kept = checkpointIndex { $0.utf8 <= start }
        // Those before `start` stay (the one at 0 always), then one exactly at `start`.
        var newCheckpoints = Array(checkpoints[..<(checkpoints[kept].utf8 < start ? kept + 1 : kept)])
        newCheckpoints.append(Checkpoint(
            utf8: start, utf16: offset(fromUTF8: start, to: .utf16), utf32: offset(fromUTF8: start, to: .utf32)))
        var utf16 = newCheckpoints.last!.utf16
        var utf32 = newCheckpoints.last!.utf32
        var nextCheckpoint = start + Self.checkpointStride
        let count = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            Self.scan(buffer, from: start, to: end, utf16: &utf16, utf32: &utf32, nextCheckpoint: &nextCheckpoint,
                      lineStarts: &newLineStarts, checkpoints: &newCheckpoints)
        }
        if end < count {
            // The line after the edit starts at `end` in the new text, as at `oldEnd` in the old.
            let oldAtEnd = Checkpoint(
                utf8: oldEnd, utf16: offset(fromUTF8: oldEnd, to: .utf16), utf32: offset(fromUTF8: oldEnd, to: .utf32))
            let d16 = utf16 - oldAtEnd.utf16, d32 = utf32 - oldAtEnd.utf32
            if newLineStarts.last != end { newLineStarts.append(end) }
            for lineStart in lineStarts[(lastLine + 2)...] { newLineStarts.append(lineStart + delta) }
            newCheckpoints.append(Checkpoint(utf8: end, utf16: utf16, utf32: utf32))
            for checkpoint in checkpoints[checkpointIndex { $0.utf8 <= oldEnd }...] where checkpoint.utf8 > oldEnd {
                newCheckpoints.append(Checkpoint(
                    utf8: checkpoint.utf8 + delta, utf16: checkpoint.utf16 + d16, utf32: checkpoint.utf32 + d32))
            }
            return LineIndex(
                utf8: bytes, lineStarts: newLineStarts, checkpoints: newCheckpoints,
                totals: Checkpoint(utf8: count, utf16: totals.utf16 + d16, utf32: totals.utf32 + d32))
        }
        return LineIndex(
            utf8: bytes, lineStarts: newLineStarts, checkpoints: newCheckpoints,
            totals: Checkpoint(utf8: count, utf16: utf16, utf32: utf32))
    }

    /// Scans `buffer[start..<end]` (starting on a line start, so no CR is pending), appending the
    /// line starts and checkpoints it passes and counting UTF-16 units and code points on from the
    /// given totals. One loop for building an index and for patching one after an edit.
    private static func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, utf16: inout Int, utf32: inout Int,
        nextCheckpoint: inout Int, lineStarts: inout [Int], checkpoints: inout [Checkpoint]
    ) {
        let count = buffer.count
        var i = start
        while i < end {
            let byte = buffer[i]
            if byte & 0xC0 != 0x80 {
                if i >= nextCheckpoint {
                    checkpoints.append(Checkpoint(utf8: i, utf16: utf16, utf32: utf32))
                    nextCheckpoint = i + checkpointStride
                }
                utf32 += 1
                utf16 += byte >= 0xF0 ? 2 : 1
            }
            if byte == 0x0A {
                lineStarts.append(i + 1)
            } else if byte == 0x0D {
                if i + 1 < count && buffer[i + 1] == 0x0A {
                    // CRLF is one line break; the line starts after the LF.
                    utf32 += 1
                    utf16 += 1
                    i += 1
                }
                lineStarts.append(i + 1)
            }
            i += 1
        }
    }

    public var text: String { String(decoding: utf8, as: UTF8.self) }

    public var lineCount: Int { lineStarts.count }

    /// Length of the whole text in the given encoding.
    public func length(in encoding: PositionEncoding) -> Int { totals.offset(in: encoding) }

    /// The line that holds a UTF-8 offset (an offset at a line's start belongs to that line).
    public func line(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The UTF-8 range of a line's content, without its line break.
    public func contentRange(ofLine line: Int) -> Range<Int> {
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : utf8.count
        if end > start && utf8[end - 1] == 0x0A { end -= 1 }
        if end > start && utf8[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    // MARK: Offsets

    /// Converts an internal UTF-8 offset to an offset from the start of the text in `encoding`.
    public func offset(fromUTF8 offset: Int, to encoding: PositionEncoding) -> Int {
        let offset = min(max(offset, 0), utf8.count)
        if encoding == .utf8 { return offset }
        let checkpoint = checkpoints[checkpointIndex { $0.utf8 <= offset }]
        var units = checkpoint.offset(in: encoding)
        var i = checkpoint.utf8
        while i < offset {
            let byte = utf8[i]
            if byte & 0xC0 != 0x80 {
                units += (encoding == .utf16 && byte >= 0xF0) ? 2 : 1
            }
            i += 1
        }
        return units
    }

    /// Converts an offset counted in `encoding` to an internal UTF-8 offset, or nil when it is past
    /// the end of the text or falls inside a character.
    public func utf8Offset(from offset: Int, in encoding: PositionEncoding) -> Int? {
        guard offset >= 0, offset <= totals.offset(in: encoding) else { return nil }
        if encoding == .utf8 {
            return offset == utf8.count || utf8[offset] & 0xC0 != 0x80 ? offset : nil
        }
        let checkpoint = checkpoints[checkpointIndex { $0.offset(in: encoding) <= offset }]
        var units = checkpoint.offset(in: encoding)
        var i = checkpoint.utf8
        while units < offset {
            let byte = utf8[i]
            let width = (encoding == .utf16 && byte >= 0xF0) ? 2 : 1
            if units + width > offset { return nil }
            units += width
            i += Self.sequenceLength(leadByte: byte)
        }
        return i
    }

    // MARK: Positions

    /// The line/character position of an internal UTF-8 offset.
    public func position(ofUTF8 offset: Int, in encoding: PositionEncoding) -> TextPosition {
        let offset = min(max(offset, 0), utf8.count)
        let line = line(containing: offset)
        let lineStart = lineStarts[line]
        if encoding == .utf8 { return TextPosition(line: line, character: offset - lineStart) }
        let character = self.offset(fromUTF8: offset, to: encoding) - self.offset(fromUTF8: lineStart, to: encoding)
        return TextPosition(line: line, character: character)
    }

    public func range(ofUTF8 range: Range<Int>, in encoding: PositionEncoding) -> TextRange {
        TextRange(start: position(ofUTF8: range.lowerBound, in: encoding),
                  end: position(ofUTF8: range.upperBound, in: encoding))
    }

    /// The internal UTF-8 offset of a client's position.
    ///
    /// A character past the end of its line means the end of that line (LSP: "defaults back to the
    /// line length"); a line past the last line is an error, as is a position inside a character.
    public func utf8Offset(of position: TextPosition, in encoding: PositionEncoding) throws(PositionError) -> Int {
        guard position.line >= 0, position.character >= 0 else { throw .negative }
        guard position.line < lineStarts.count else {
            throw .lineOutOfRange(line: position.line, lineCount: lineStarts.count)
        }
        let content = contentRange(ofLine: position.line)
        if encoding == .utf8 {
            let target = content.lowerBound + position.character
            if target >= content.upperBound { return content.upperBound }
            guard utf8[target] & 0xC0 != 0x80 else {
                throw .insideCharacter(line: position.line, character: position.character)
            }
            return target
        }
        let lineStartUnits = offset(fromUTF8: content.lowerBound, to: encoding)
        let lineEndUnits = offset(fromUTF8: content.upperBound, to: encoding)
        let target = lineStartUnits + position.character
        if target >= lineEndUnits { return content.upperBound }
        guard let result = utf8Offset(from: target, in: encoding) else {
            throw .insideCharacter(line: position.line, character: position.character)
        }
        return result
    }

    public func utf8Range(of range: TextRange, in encoding: PositionEncoding) throws(PositionError) -> Range<Int> {
        let start = try utf8Offset(of: range.start, in: encoding)
        let end = try utf8Offset(of: range.end, in: encoding)
        guard start <= end else { throw .reversedRange }
        return start..<end
    }

    // MARK: Helpers

    /// Index of the last checkpoint for which `isAtOrBefore` holds (checkpoints are ordered).
    @inline(__always)
    private func checkpointIndex(_ isAtOrBefore: (Checkpoint) -> Bool) -> Int {
        var low = 0
        var high = checkpoints.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if isAtOrBefore(checkpoints[mid]) { low = mid } else { high = mid - 1 }
        }
        return low
    }

    @inline(__always)
    static func sequenceLength(leadByte byte: UInt8) -> Int {
        if byte < 0x80 { return 1 }
        if byte < 0xE0 { return 2 }
        if byte < 0xF0 { return 3 }
        return 4
    }
}
