import Testing
@testable import TextEngine

private func sentences(_ text: String) -> [String] {
    let analyzed = AnalyzedText(text)
    return analyzed.sentences.map { analyzed.text(in: $0.bytes) }
}

@Suite struct SegmentationTests {
    @Test func abbreviationsDoNotEndSentences() {
        #expect(sentences("Mr. Smith met Gen. Lee and Sen. Warren on Jan. 5. They talked.") ==
            ["Mr. Smith met Gen. Lee and Sen. Warren on Jan. 5.", "They talked."])
        #expect(sentences("Dr. No. 10 vs. No. 11 at St. Mary's. Done.") ==
            ["Dr. No. 10 vs. No. 11 at St. Mary's.", "Done."])
        #expect(sentences("Rep. Jones and Gov. Hochul spoke.") == ["Rep. Jones and Gov. Hochul spoke."])
    }

    @Test func acronymsAndInitials() {
        #expect(sentences("U.S. officials and the U.N. agreed. J. Smith said so.") ==
            ["U.S. officials and the U.N. agreed.", "J. Smith said so."])
        // The acronym's dot also ends the sentence when a sentence start follows.
        #expect(sentences("He lives in the U.S. The rest is history.") ==
            ["He lives in the U.S.", "The rest is history."])
        #expect(sentences("Some fruit, e.g. Apples, i.e. Red ones.") == ["Some fruit, e.g. Apples, i.e. Red ones."])
    }

    @Test func companyAbbreviationsMayEndASentence() {
        #expect(sentences("He joined Apple Inc. The company grew.") == ["He joined Apple Inc.", "The company grew."])
        #expect(sentences("Apple Inc. shares rose.") == ["Apple Inc. shares rose."])
        #expect(sentences("Pens, paper, etc. were sold. Then more.") == ["Pens, paper, etc. were sold.", "Then more."])
    }

    @Test func decimalsEllipsesAndLowercaseFollowers() {
        #expect(sentences("Growth was 3.5 percent. It fell.") == ["Growth was 3.5 percent.", "It fell."])
        #expect(sentences("He paused... and went on. Then... Nothing.") ==
            ["He paused... and went on.", "Then...", "Nothing."])
        #expect(sentences("It cost approx. ten dollars.") == ["It cost approx. ten dollars."])
        #expect(sentences("Why? Because. Really!") == ["Why?", "Because.", "Really!"])
        #expect(sentences("\"Stop!\" he said. \"Now?\" She asked.") == ["\"Stop!\" he said.", "\"Now?\"", "She asked."])
    }

    @Test func closingQuotesBelongToTheSentenceTheyClose() {
        #expect(sentences("He said: “We will win.” Then he left.") == ["He said: “We will win.”", "Then he left."])
        #expect(sentences("«قال: سنفوز.» ثم غادر.") == ["«قال: سنفوز.»", "ثم غادر."])
        #expect(sentences("It was (mostly) done.) Next.") == ["It was (mostly) done.)", "Next."])
    }

    @Test func arabicSentencesAndClauses() {
        let text = "قال الوزير، إن الحكومة ستعمل؛ وأضاف أن الوضع صعب. هل هذا صحيح؟ نعم"
        let analyzed = AnalyzedText(text)
        #expect(analyzed.sentences.map { analyzed.text(in: $0.bytes) } ==
            ["قال الوزير، إن الحكومة ستعمل؛ وأضاف أن الوضع صعب.", "هل هذا صحيح؟", "نعم"])
        #expect(analyzed.clauseBoundaries.map { analyzed.text(ofToken: $0) } == ["،", "؛"])
        let clause = analyzed.clause(ofToken: 4)  // الحكومة
        #expect(analyzed.text(in: analyzed.tokens[clause.lowerBound].start..<analyzed.tokens[clause.upperBound - 1].end)
            == "إن الحكومة ستعمل؛")
        #expect(analyzed.clause(ofToken: 0) == 0..<3)
        #expect(sentences("د. محمد قال. ثم") == ["د. محمد قال.", "ثم"])
    }

    @Test func paragraphsEndSentences() {
        let text = "First line without stop\n\n  Second para. Two.\r\nThird"
        let analyzed = AnalyzedText(text)
        #expect(analyzed.sentences.map { analyzed.text(in: $0.bytes) } ==
            ["First line without stop", "Second para.", "Two.", "Third"])
        #expect(analyzed.paragraphs.map { analyzed.text(in: $0.bytes) } ==
            ["First line without stop", "Second para. Two.", "Third"])
        #expect(analyzed.paragraphs.map(\.bytes) == Paragraphs.ranges(in: Array(text.utf8)))
        #expect(analyzed.paragraphIndex(ofToken: 5) == 1)
        #expect(analyzed.sentenceIndex(ofToken: 5) == 1)
        #expect(analyzed.sentence(ofToken: analyzed.tokens.count - 1).tokens == (analyzed.tokens.count - 1)..<analyzed.tokens.count)
    }

    @Test func sentenceInitialLooksPastOpeningQuotes() {
        let analyzed = AnalyzedText("“Perhaps not,” he said. Maybe.")
        #expect(analyzed.isSentenceInitial(token: 1))
        #expect(!analyzed.isSentenceInitial(token: 2))
        #expect(analyzed.isSentenceInitial(token: 8))
    }

    /// What may stand before a sentence's first word, told by bytes.
    @Test func openersAreTheListedMarks() {
        for opener in ["\u{201C}", "\u{2018}", "\u{AB}", "\u{2039}", "\u{201E}", "\"", "'", "(", "[", "\u{2014}", "\u{2013}", "-"] {
            #expect(SentenceSplitter.isOpener(ArraySlice(Array(opener.utf8))), "\(opener)")
        }
        for other in ["", ".", ",", ")", "]", "\u{201D}", "\u{2019}", "\u{BB}", "\u{203A}", "\u{2026}", "\u{2012}", "--", "((", "a", "\u{C2}", "\u{E2}", "«»", "\u{300C}"] {
            #expect(!SentenceSplitter.isOpener(ArraySlice(Array(other.utf8))), "\(other)")
        }
        // A slice in the middle of a table's storage, as forms are handed over.
        let storage = Array("x\u{201C}y".utf8)
        #expect(SentenceSplitter.isOpener(storage[1..<4]))
        #expect(!SentenceSplitter.isOpener(storage[0..<1]))
    }
}
