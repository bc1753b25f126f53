import Testing
@testable import TextModel

/// `LineIndex.replacing` answers as an index built from scratch on the edited text.
@Suite struct LineIndexEditTests {
    func expectSame(_ edited: LineIndex, _ fresh: LineIndex, _ context: String) {
        #expect(edited.utf8 == fresh.utf8, "\(context)")
        #expect(edited.lineStarts == fresh.lineStarts, "\(context)")
        let bytes = fresh.utf8
        for encoding in [PositionEncoding.utf8, .utf16, .utf32] {
            #expect(edited.length(in: encoding) == fresh.length(in: encoding), "\(context)")
            for offset in 0...bytes.count where offset == bytes.count || bytes[offset] & 0xC0 != 0x80 {
                let a = edited.offset(fromUTF8: offset, to: encoding), b = fresh.offset(fromUTF8: offset, to: encoding)
                if a != b { Issue.record("offset \(offset) \(encoding): \(a) != \(b); \(context)"); return }
                #expect(edited.position(ofUTF8: offset, in: encoding) == fresh.position(ofUTF8: offset, in: encoding))
            }
            for units in 0...(fresh.length(in: encoding) + 1) {
                let a = edited.utf8Offset(from: units, in: encoding), b = fresh.utf8Offset(from: units, in: encoding)
                if a != b { Issue.record("units \(units) \(encoding): \(String(describing: a)) != \(String(describing: b)); \(context)"); return }
            }
        }
    }

    @Test func randomEditsMatchAFreshIndex() {
        let pieces = ["a", "é", "ربما", "😀", "\n", "\r", "\r\n", "\n\n", "line\nnext", "", "xyz\r", "\nq"]
        var generator = SystemRandomNumberGenerator()
        // Long enough for many checkpoints (every 128 bytes).
        var text = (0..<60).map { "line \($0) é ربما 😀 " + String(repeating: "w", count: $0 % 9) }.joined(separator: "\n")
        var index = LineIndex(text)
        for step in 0..<300 {
            let bytes = Array(text.utf8)
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let b = min(boundaries.filter { $0 >= a }.randomElement(using: &generator)!, a + (step % 3 == 0 ? 300 : 6))
            let end = boundaries.last { $0 <= b }!
            let insert = pieces.randomElement(using: &generator)!
            var edited = bytes
            edited.replaceSubrange(a..<end, with: Array(insert.utf8))
            index = index.replacing(a..<end, with: Array(insert.utf8))
            text = String(decoding: edited, as: UTF8.self)
            expectSame(index, LineIndex(text), "step \(step): \(a)..<\(end) <- \(insert.debugDescription)")
        }
    }

    @Test func editsAtTheEdgesAndAroundLineBreaks() {
        let cases: [(String, Range<Int>, String)] = [
            ("", 0..<0, "abc"), ("abc", 0..<3, ""), ("a\rb", 2..<2, "\n"), ("a\r\nb", 2..<2, "x"), ("a\r", 2..<2, "\n"),
            ("a\nb\n", 4..<4, "c"), ("a\nb\n", 0..<0, "\n"), ("\r\n\r\n", 1..<3, ""), ("ab", 1..<1, "\r\n"),
        ]
        for (text, range, insert) in cases {
            var bytes = Array(text.utf8)
            bytes.replaceSubrange(range, with: Array(insert.utf8))
            expectSame(LineIndex(text).replacing(range, with: Array(insert.utf8)), LineIndex(utf8: bytes),
                       "\(text.debugDescription) \(range) <- \(insert.debugDescription)")
        }
    }
}
