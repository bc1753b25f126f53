import Testing
import TextEngine

/// Paragraphs of an edited text, reusing the old ones, equal those split from scratch.
@Suite struct ParagraphEditTests {
    @Test func randomEditsMatchAFreshSplit() {
        let pieces = ["a", " ", "  x  ", "ربما", "\n", "\r", "\r\n", "\n\n", "line\nnext", "", "xyz\r", "\nq", "\u{00A0}", "\t"]
        var generator = SystemRandomNumberGenerator()
        var bytes = Array((0..<40).map { "para \($0) ربما \u{00A0}" + String(repeating: " w", count: $0 % 5) }
            .joined(separator: "\n").utf8)
        var ranges = Paragraphs.ranges(in: bytes)
        for step in 0..<400 {
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let b = min(boundaries.filter { $0 >= a }.randomElement(using: &generator)!, a + (step % 4 == 0 ? 200 : 5))
            let end = boundaries.last { $0 <= b }!
            var edited = bytes
            edited.replaceSubrange(a..<end, with: Array(pieces.randomElement(using: &generator)!.utf8))
            let reused = Paragraphs.ranges(in: edited, editedFrom: bytes, oldRanges: ranges)
            let fresh = Paragraphs.ranges(in: edited)
            #expect(reused == fresh, "step \(step): \(String(decoding: edited, as: UTF8.self).debugDescription)")
            if reused != fresh { return }
            // What the edit left alone (its range's ends) gives the same common ends as reading
            // everything, and the same paragraphs.
            let known = (prefix: a, suffix: bytes.count - end)
            let ends = Paragraphs.commonEnds(bytes, edited, atLeast: known)
            #expect(ends == Paragraphs.commonEnds(bytes, edited), "step \(step)")
            #expect(Paragraphs.ranges(in: edited, editedFrom: bytes, oldRanges: ranges, commonEnds: ends) == fresh)
            bytes = edited
            ranges = fresh
        }
    }

    @Test func commonEndsFromWhatAnEditLeftAloneAreTheLongest() {
        // Typing `a` after an `a`: the texts share one byte more than the edit left alone.
        let before = Array("xaay".utf8), after = Array("xaaay".utf8)
        #expect(Paragraphs.commonEnds(before, after, atLeast: (2, 2)) == Paragraphs.commonEnds(before, after))
        #expect(Paragraphs.commonEnds(before, after, atLeast: (0, 0)) == (3, 1))
        // Bounds no edit leaves (overlapping) are not trusted.
        #expect(Paragraphs.commonEnds(before, after, atLeast: (4, 4)) == (3, 1))
    }
}
