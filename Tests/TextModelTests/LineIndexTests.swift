import Testing
import TextModel

/// A reference that counts the slow, obvious way (scalar by scalar through the String), to check
/// `LineIndex`'s checkpointed arithmetic against.
private struct NaiveIndex {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// (utf8, utf16, utf32) offsets at every scalar boundary.
    var boundaries: [(Int, Int, Int)] {
        var result = [(0, 0, 0)]
        var (u8, u16, u32) = (0, 0, 0)
        for scalar in scalars {
            u8 += UTF8.width(scalar)
            u16 += UTF16.width(scalar)
            u32 += 1
            result.append((u8, u16, u32))
        }
        return result
    }

    /// Line/character of each boundary, lines broken at \n, \r\n and \r.
    func position(atScalar index: Int, encoding: PositionEncoding) -> TextPosition {
        var line = 0
        var character = 0
        var i = 0
        while i < index {
            let scalar = scalars[i]
            if scalar == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" && i + 1 < index {
                line += 1
                character = 0
                i += 2
                continue
            }
            if scalar == "\n" || scalar == "\r" {
                line += 1
                character = 0
            } else {
                character += encoding.width(of: scalar)
            }
            i += 1
        }
        return TextPosition(line: line, character: character)
    }
}

@Suite struct LineIndexTests {
    static let samples: [String] = [
        "",
        "plain ASCII text",
        "ذكرت وسائل إعلام كورية جنوبية\nقال الوزير: «ربما»",
        "é with combining: e\u{0301}e\u{0301}\u{0323} done",
        "emoji 😀 and flags 🇯🇵🇰🇷 and family 👨‍👩‍👧",
        "CRLF line one\r\nline two\r\n\r\nlast",
        "old Mac\rlines\rhere",
        "tatweel ـــ and diacritics مُحَمَّد",
        String(repeating: "مرحبا 😀 abc ", count: 200),  // one long line: many checkpoints
        "trailing newline\n",
    ]

    @Test(arguments: samples)
    func offsetsRoundTripAtEveryBoundary(text: String) {
        let index = LineIndex(text)
        for (u8, u16, u32) in NaiveIndex(text).boundaries {
            #expect(index.offset(fromUTF8: u8, to: .utf8) == u8)
            #expect(index.offset(fromUTF8: u8, to: .utf16) == u16)
            #expect(index.offset(fromUTF8: u8, to: .utf32) == u32)
            #expect(index.utf8Offset(from: u16, in: .utf16) == u8)
            #expect(index.utf8Offset(from: u32, in: .utf32) == u8)
            #expect(index.utf8Offset(from: u8, in: .utf8) == u8)
        }
        #expect(index.length(in: .utf16) == text.utf16.count)
        #expect(index.length(in: .utf32) == text.unicodeScalars.count)
    }

    @Test(arguments: samples)
    func positionsMatchTheReference(text: String) throws {
        let index = LineIndex(text)
        let naive = NaiveIndex(text)
        for (scalarIndex, (u8, _, _)) in naive.boundaries.enumerated() {
            // A boundary between \r and \n is not a place a client can name; skip it.
            if scalarIndex > 0 && scalarIndex < naive.scalars.count
                && naive.scalars[scalarIndex - 1] == "\r" && naive.scalars[scalarIndex] == "\n" { continue }
            for encoding in PositionEncoding.allCases {
                let expected = naive.position(atScalar: scalarIndex, encoding: encoding)
                let position = index.position(ofUTF8: u8, in: encoding)
                #expect(position == expected, "\(encoding) at byte \(u8)")
                let back = try index.utf8Offset(of: position, in: encoding)
                // The end of a line's content and the line break share a position; both are fine.
                if back != u8 {
                    #expect(naive.scalars[scalarIndex] == "\n" || naive.scalars[scalarIndex] == "\r")
                }
            }
        }
    }

    @Test func surrogatePairHalvesAreRejected() {
        let index = LineIndex("a😀b")
        #expect(index.utf8Offset(from: 2, in: .utf16) == nil)  // between the two surrogates
        #expect(index.utf8Offset(from: 3, in: .utf16) == 5)
        #expect(throws: LineIndex.PositionError.insideCharacter(line: 0, character: 2)) {
            try index.utf8Offset(of: TextPosition(line: 0, character: 2), in: .utf16)
        }
    }

    @Test func utf8OffsetsInsideASequenceAreRejected() {
        let index = LineIndex("قال")
        #expect(index.utf8Offset(from: 1, in: .utf8) == nil)
        #expect(throws: LineIndex.PositionError.insideCharacter(line: 0, character: 1)) {
            try index.utf8Offset(of: TextPosition(line: 0, character: 1), in: .utf8)
        }
    }

    @Test func characterPastTheEndOfALineMeansItsEnd() throws {
        let index = LineIndex("ab\r\ncd")
        #expect(try index.utf8Offset(of: TextPosition(line: 0, character: 99), in: .utf16) == 2)
        #expect(try index.utf8Offset(of: TextPosition(line: 1, character: 99), in: .utf32) == 6)
    }

    @Test func linePastTheEndIsAnError() {
        let index = LineIndex("one\ntwo\n")
        #expect(index.lineCount == 3)
        #expect(throws: LineIndex.PositionError.lineOutOfRange(line: 3, lineCount: 3)) {
            try index.utf8Offset(of: TextPosition(line: 3, character: 0), in: .utf16)
        }
        #expect(throws: LineIndex.PositionError.negative) {
            try index.utf8Offset(of: TextPosition(line: -1, character: 0), in: .utf16)
        }
    }

    @Test func reversedRangeIsAnError() {
        let index = LineIndex("hello")
        #expect(throws: LineIndex.PositionError.reversedRange) {
            try index.utf8Range(of: TextRange(start: TextPosition(line: 0, character: 3), end: TextPosition(line: 0, character: 1)), in: .utf16)
        }
    }

    @Test func contentRangeExcludesLineBreaks() {
        let index = LineIndex("ab\r\ncd\ne\rf")
        #expect(index.contentRange(ofLine: 0) == 0..<2)
        #expect(index.contentRange(ofLine: 1) == 4..<6)
        #expect(index.contentRange(ofLine: 2) == 7..<8)
        #expect(index.contentRange(ofLine: 3) == 9..<10)
    }

    @Test func pastTheEndOffsetsAreNil() {
        let index = LineIndex("abc")
        #expect(index.utf8Offset(from: 4, in: .utf16) == nil)
        #expect(index.utf8Offset(from: -1, in: .utf32) == nil)
    }
}

@Suite struct TextEditTests {
    @Test func applyReplacesTheRange() {
        let bytes = Array("قال الوزير".utf8)
        let edit = TextEdit(range: 0..<6, replacement: "أضاف")
        #expect(String(decoding: edit.apply(to: bytes), as: UTF8.self) == "أضاف الوزير")
        #expect(edit.delta == 2)
        #expect(edit.replacedRange == 0..<8)
    }
}
