import Foundation
import ScholiaTestSupport
import Testing
import TextEngine

/// Scans the fixture's text and checks the quotations' spans against its ⟦⟧ marks.
private func expectQuotations(_ marked: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Quotation] {
    let fixture = MarkedText(marked)
    let quotations = QuotationScanner.scan(fixture.text)
    #expect(quotations.map(\.range) == fixture.spans, "in \(fixture.text)", sourceLocation: sourceLocation)
    return quotations
}

@Suite struct QuotationScannerTests {
    static let markStyles: [(marked: String, opening: String, closing: String)] = [
        ("He said ⟦“we will win”⟧ today.", "“", "”"),
        ("He said ⟦‘we will win’⟧ today.", "‘", "’"),
        ("He said ⟦\"we will win\"⟧ today.", "\"", "\""),
        ("He said ⟦'we will win'⟧ today.", "'", "'"),
        ("He said: ⟦\"we will win.\"⟧", "\"", "\""),
        ("Il a dit ⟦« nous gagnerons »⟧ hier.", "«", "»"),
        ("Il a dit ⟦‹nous gagnerons›⟧ hier.", "‹", "›"),
        ("Er sagte ⟦„wir gewinnen“⟧ heute.", "„", "“"),
        ("Er sagte ⟦‚wir gewinnen‘⟧ heute.", "‚", "‘"),
        ("Er sagte ⟦»wir gewinnen«⟧ heute.", "»", "«"),
        ("Han sa ⟦”vi vinner”⟧ idag.", "”", "”"),
        ("彼は⟦「必ず勝つ」⟧と言った。", "「", "」"),
        ("彼は⟦『必ず勝つ』⟧と言った。", "『", "』"),
        ("He said ⟦``we will win''⟧ today.", "``", "''"),
        // Two apostrophes for double quotes, as in some newspaper archives.
        ("⟦''It isn't reform,''⟧ said Mr. Holtz-Eakin.", "''", "''"),
        ("قال الوزير: ⟦«سنفوز بالتأكيد»⟧.", "«", "»"),
        ("قال الوزير: ⟦“سنفوز بالتأكيد”⟧.", "“", "”"),
        ("قال الوزير: ⟦\"سنفوز بالتأكيد\"⟧.", "\"", "\""),
        // Arabic typed right to left sometimes gets its curly quotes the other way round.
        ("قال الوزير: ⟦”سنفوز بالتأكيد“⟧.", "”", "“"),
    ]

    @Test(arguments: markStyles)
    func everyMarkStyle(marked: String, opening: String, closing: String) throws {
        let quotations = expectQuotations(marked)
        let quotation = try #require(quotations.first)
        #expect(quotation.openingMark == opening)
        #expect(quotation.closingMark == closing)
        #expect(quotation.isClosed)
        #expect(!quotation.isNested)
        #expect(quotation.paragraphCount == 1)
        #expect(quotation.contentRange == (quotation.range.lowerBound + opening.utf8.count)..<(quotation.range.upperBound - closing.utf8.count))
    }

    @Test func nestedQuotationsReportTheirParent() {
        for marked in [
            "⟦“He told me ⟦‘go home now’⟧ and left,”⟧ she said.",
            "⟦\"He told me ⟦'go home now'⟧ and left,\"⟧ she said.",
            "⟦«قال لي ⟦“عد إلى البيت”⟧ ثم غادر»⟧",
            "⟦„Er sagte ⟦‚geh nach Hause‘⟧ und ging“⟧, sagte sie.",
        ] {
            let quotations = expectQuotations(marked)
            guard quotations.count == 2 else { continue }
            #expect(quotations[0].parent == nil)
            #expect(!quotations[0].isNested)
            #expect(quotations[1].parent == 0)
            #expect(quotations[1].isNested)
            #expect(quotations[1].isClosed)
        }
    }

    @Test func siblingsInsideOneQuotationShareTheParent() {
        let quotations = expectQuotations("⟦“Call it ⟦‘reform’⟧ or call it ⟦‘cuts’⟧, it is the same,”⟧ he said. ⟦“Next.”⟧")
        #expect(quotations.map(\.parent) == [nil, 0, 0, nil])
    }

    @Test func apostrophesAreNotQuotationMarks() {
        for text in [
            "Don't worry: the Ministry's plan for l'Orient and the Ba'ath party's votes in the '90s.",
            "Don’t worry: the Ministry’s plan, the ministers’ votes, the ‘90s and the ’90s.",
            "The cleric 'Ali al-Sistani met the Shi'ite leaders in Sana'a and Ma'rib.",
            "The ministers' decision was final, and the officials' reply came late.",
            "He is 5'11\" tall.",
        ] {
            #expect(QuotationScanner.scan(text).isEmpty, "in \(text)")
        }
    }

    @Test func apostrophesInsideQuotations() {
        _ = expectQuotations("⟦“Don't worry about the Ministry's plan,”⟧ he said.")
        _ = expectQuotations("⟦“Don’t worry about the Ministry’s plan,”⟧ he said.")
        _ = expectQuotations("She called it ⟦'the Ministry's folly'⟧ yesterday.")
        _ = expectQuotations("He is 5'11\" tall and said ⟦\"hello there\"⟧.")
    }

    @Test func quotationContinuedOverParagraphs() throws {
        let quotations = expectQuotations("""
            He said:
            ⟦“The first paragraph of the statement.
            “The second paragraph, which goes on.

            “The end of it.”⟧ Then he left.
            """)
        let quotation = try #require(quotations.first)
        #expect(quotation.paragraphCount == 3)
        #expect(quotation.isClosed)
        #expect(quotation.wordCount == 16)
    }

    @Test func continuedQuotationKeepsItsNestedOneOpen() throws {
        let quotations = expectQuotations("⟦“He wrote ⟦‘first part\n“‘second part’⟧ and more.”⟧")
        #expect(quotations.count == 2)
        #expect(quotations.map(\.paragraphCount) == [2, 2])
        #expect(quotations.map(\.isClosed) == [true, true])
    }

    @Test func unbalancedMarkEndsAtItsParagraph() throws {
        let quotations = expectQuotations("""
            He said ⟦“we will win⟧ \t
            The next paragraph is plain, and says ⟦“so”⟧.
            Another ⟦«بدون إغلاق⟧
            """)
        #expect(quotations.map(\.isClosed) == [false, true, false])
        #expect(quotations.map(\.closingMark) == [nil, "”", nil])
        #expect(quotations[0].contentRange.upperBound == quotations[0].range.upperBound)
    }

    @Test func unclosedInnerQuotationEndsWithItsParent() {
        let quotations = expectQuotations("⟦“He said ⟦‘go home and left⟧”⟧ yesterday.")
        #expect(quotations.map(\.isClosed) == [true, false])
        #expect(quotations.map(\.parent) == [nil, 0])
    }

    @Test func strayClosingMarksAreIgnored() {
        _ = expectQuotations("It ended” and then ⟦“began again”⟧» today.")
    }

    @Test func offsetsAreUTF8BytesAfterEmojiAndArabic() throws {
        let fixture = MarkedText("😀👨‍👩‍👧 cafe\u{301} قال: ⟦«نعم بالتأكيد»⟧ 🇯🇵 ⟦“yes”⟧")
        let quotations = QuotationScanner.scan(Array(fixture.text.utf8))
        #expect(quotations.map(\.range) == fixture.spans)
        #expect(fixture.slice(quotations[0].range) == "«نعم بالتأكيد»")
        #expect(fixture.slice(quotations[0].contentRange) == "نعم بالتأكيد")
        #expect(fixture.slice(quotations[1].range) == "“yes”")
    }

    /// Runs of Arabic letters, harakat and digits are crossed without decoding each scalar; words
    /// are still counted as the general rules count them: Arabic and Latin letters, digits and
    /// harakat run together into one word, ، ؟ and Arabic punctuation end one, a letter the ranges
    /// do not cover (ڤ, U+06A4, is covered; ە, U+06D5, is not) goes on the general way.
    @Test func arabicWordsAreCountedLikeAnyOther() throws {
        let quotations = expectQuotations("""
            قال: ⟦«نعمٌ، بالتأكيد٣ abcنعم ٢٠١٥ ڤيديو؟ ەڤ x»⟧ و ⟦"كلمة"⟧ ⟦«مُحْتَمَلٌ»⟧ end
            """)
        #expect(quotations.map(\.wordCount) == [7, 1, 1])
        #expect(quotations.map(\.isShort) == [false, true, true])
    }

    @Test func shortQuotationsAreScareQuoteCandidates() {
        let quotations = expectQuotations("The so-called ⟦“experts”⟧ backed a ⟦\"merit system\"⟧; he said ⟦“this is not a merit system”⟧.")
        #expect(quotations.map(\.wordCount) == [1, 2, 6])
        #expect(quotations.map(\.isShort) == [true, true, false])
    }

    @Test func emptyTextAndTextOfOnlyMarks() {
        for text in ["", " ", "\n\n", "“”«»\"'‘’„“「」", "\"\" '' “ ” « » ‹›", "“\n”\n«", "”“’‘»«", "``''"] {
            #expect(QuotationScanner.scan(text).isEmpty, "in \(text.debugDescription)")
        }
    }

    @Test func invalidUTF8DoesNotTrap() {
        let bytes: [UInt8] = [0xE2, 0x80, 0x9C, 0x61, 0xFF, 0x62, 0xE2, 0x80, 0x9D, 0xE2, 0x80]
        let quotations = QuotationScanner.scan(bytes)
        #expect(quotations.map(\.range) == [0..<9])
    }

    @Test func windowsLineBreaks() {
        _ = expectQuotations("He said ⟦“one\r\n“two”⟧\r\nand ⟦“open⟧\r\nplain")
    }

    /// The seed article holds exactly one quotation, in curly double marks.
    @Test func seedArticle() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/000_8c0ffeb5a460f4f0.txt")
        let bytes = Array(try Data(contentsOf: url))
        let quotations = QuotationScanner.scan(bytes)
        #expect(quotations.map(\.range) == [3309..<3465])
        let quotation = try #require(quotations.first)
        #expect(String(decoding: bytes[quotation.range], as: UTF8.self)
            == "“بحاجة الرئيس بوتين إلى مساعدات الحرب وجهود الزعيم كيم لإبراز مكانة كوريا الشمالية”")
        #expect(quotation.isClosed && !quotation.isShort && quotation.paragraphCount == 1)
    }

    /// Prints throughput; asserts nothing about time.
    @Test func throughput() {
        let paragraph = """
            “We will not back down,” the minister said on Tuesday, adding that the so-called "experts" had \
            misread the Ministry's plan. قال الوزير: «لن نتراجع»، وأضاف أن ‘الخبراء’ أخطأوا. Don't worry.\n
            """
        var text = ""
        while text.utf8.count < 4_000_000 { text += paragraph }
        let bytes = Array(text.utf8)
        let clock = ContinuousClock()
        var found = 0
        let elapsed = clock.measure { found = QuotationScanner.scan(bytes).count }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("QuotationScanner: \(bytes.count) bytes, \(found) quotations in \(elapsed): \(Double(bytes.count) / seconds / 1_000_000) MB/s")
    }
}
