import Testing
@testable import TextEngine

/// Tokens of `text` as (surface, form, kind), surfaces cut from the original bytes by offset.
private func tokens(_ text: String) -> [(String, String, TokenKind)] {
    let analyzed = AnalyzedText(text)
    return analyzed.tokens.indices.map { (analyzed.text(ofToken: $0), analyzed.form(ofToken: $0), analyzed.tokens[$0].kind) }
}

private func surfaces(_ text: String) -> [String] { tokens(text).map(\.0) }
private func forms(_ text: String) -> [String] { tokens(text).map(\.1) }

@Suite struct TokenizerTests {
    @Test func englishWordsWithApostrophesHyphensAndAcronyms() {
        #expect(surfaces("Don't blame al-Assad’s U.S. allies, e.g. the U.K.") ==
            ["Don't", "blame", "al-Assad’s", "U.S.", "allies", ",", "e.g.", "the", "U.K."])
        #expect(forms("Don’t") == ["don't"])
        // A trailing apostrophe or hyphen is punctuation: it may close a quotation.
        #expect(surfaces("officials' 'word' well-") == ["officials", "'", "'", "word", "'", "well", "-"])
        // An initial is a letter and a separate full stop.
        #expect(surfaces("J. Smith") == ["J", ".", "Smith"])
        #expect(surfaces("G7 COVID-19 F‑16") == ["G7", "COVID-19", "F‑16"])
        #expect(forms("F‑16") == ["f-16"])
    }

    /// Forms longer than the scratch room `tokenize` lends (256 bytes) move the scratch to a
    /// buffer of its own mid-word, in the general and the Arabic paths; the forms stay whole.
    @Test func formsLongerThanTheLentScratch() {
        let accented = "Caf" + String(repeating: "é", count: 300)
        #expect(forms(accented + " x " + accented) == ["caf" + String(repeating: "é", count: 300), "x",
                                                       "caf" + String(repeating: "é", count: 300)])
        let arabic = String(repeating: "بت", count: 200)
        #expect(forms("\(arabic) و \(arabic)") == [arabic, "و", arabic])
        let ascii = String(repeating: "Ab", count: 200)
        #expect(forms(ascii + "'s é") == [ascii.lowercased() + "'s", "é"])
        #expect(forms("") == [])
    }

    @Test func accentedAndOtherScriptsFoldCase() {
        #expect(forms("ÉCOLE Ærø Straße ΑΘΗΝΑ Москва") == ["école", "ærø", "straße", "αθηνα", "москва"])
        #expect(tokens("café")[0].2 == .word)
    }

    @Test func kindsAndFlags() {
        let analyzed = AnalyzedText("The NATO chief\n\nsaid $5 😀!")
        let kinds = analyzed.tokens.map(\.kind)
        #expect(kinds == [.word, .word, .word, .word, .symbol, .number, .symbol, .punctuation])
        #expect(analyzed.tokens[0].flags.contains(.capitalized))
        #expect(analyzed.tokens[1].flags.contains(.allCaps))
        #expect(!analyzed.tokens[2].flags.contains(.capitalized))
        #expect(analyzed.tokens[3].flags.contains(.paragraphStart))
        #expect(!analyzed.tokens[2].flags.contains(.paragraphStart))
        #expect(!analyzed.tokens[7].flags.contains(.spaceBefore))
    }

    @Test func numbersInAllDigitSets() {
        #expect(tokens("1,000.50 ٣٫٥ ١٢٬٠٠٠ ۱۲۳ 45% ٤٥٪ 1990s 2024.").map { [$0.0, $0.1] } == [
            ["1,000.50", "1,000.50"], ["٣٫٥", "3.5"], ["١٢٬٠٠٠", "12,000"], ["۱۲۳", "123"], ["45%", "45%"],
            ["٤٥٪", "45%"], ["1990s", "1990s"], ["2024", "2024"], [".", "."],
        ])
        #expect(tokens("٤٥٪")[0].2 == .number)
    }

    @Test func arabicPunctuationIsSeparate() {
        #expect(surfaces("قال، ثم؛ لماذا؟ «نعم»") == ["قال", "،", "ثم", "؛", "لماذا", "؟", "«", "نعم", "»"])
        #expect(tokens("،")[0].2 == .punctuation)
    }

    @Test func arabicDiacriticsAndTatweelStayInsideTheToken() {
        let text = "قَدْ يَكُونُ الـــوزير"
        let analyzed = AnalyzedText(text)
        #expect(analyzed.tokens.count == 3)
        #expect(analyzed.text(ofToken: 0) == "قَدْ")
        #expect(analyzed.form(ofToken: 0) == "قد")
        #expect(analyzed.form(ofToken: 1) == "يكون")
        #expect(analyzed.text(ofToken: 2) == "الـــوزير")
        #expect(analyzed.form(ofToken: 2) == "الوزير")
        #expect(analyzed.tokens[0].flags.contains(.hadDiacritics))
        #expect(analyzed.tokens[2].flags.contains(.hadTatweel))
        #expect(analyzed.tokens.allSatisfy { $0.kind == .arabicWord })
    }

    /// Offsets are UTF-8 bytes of the original, whatever precedes: emoji (4 bytes, ZWJ sequences),
    /// combining marks, Arabic with diacritics.
    @Test func offsetsAreExactUTF8RangesOfTheOriginal() {
        let text = "👨‍👩‍👧 e\u{301}te\u{301} 👍🏽 وَبِحَسَبِ ـهـ x"
        let analyzed = AnalyzedText(text)
        let bytes = Array(text.utf8)
        #expect(analyzed.tokens.indices.map { analyzed.text(ofToken: $0) } == ["👨‍👩‍👧", "e\u{301}te\u{301}", "👍🏽", "وَبِحَسَبِ", "ـهـ", "x"])
        #expect(analyzed.tokens[0].range == 0..<18)
        #expect(analyzed.tokens[1].range == 19..<26)
        #expect(analyzed.tokens[1].kind == .word)
        #expect(analyzed.tokens.last!.range == (bytes.count - 1)..<bytes.count)
        for token in analyzed.tokens {
            // Every boundary is a scalar boundary.
            #expect(bytes[token.start] & 0xC0 != 0x80)
            #expect(token.end == bytes.count || bytes[token.end] & 0xC0 != 0x80)
        }
        #expect(analyzed.form(ofToken: 3) == "وبحسب")
        #expect(analyzed.form(ofToken: 4) == "ه")
    }

    @Test func invalidUTF8DoesNotStopTheWalk() {
        let analyzed = AnalyzedText(utf8: [0x61, 0xFF, 0x62, 0xD8])
        #expect(analyzed.tokens.map(\.range) == [0..<1, 1..<2, 2..<3, 3..<4])
    }

    @Test func ellipsisIsOneToken() {
        #expect(surfaces("Well... yes… no") == ["Well", "...", "yes", "…", "no"])
        #expect(forms("yes…") == ["yes", "..."])
    }

    @Test func tokenLookupByOffset() {
        let analyzed = AnalyzedText("ab  cd")
        #expect(analyzed.tokenIndex(containing: 0) == 0)
        #expect(analyzed.tokenIndex(containing: 1) == 0)
        #expect(analyzed.tokenIndex(containing: 2) == nil)
        #expect(analyzed.tokenIndex(containing: 4) == 1)
        #expect(analyzed.tokenIndex(containing: 6) == nil)
        #expect(analyzed.firstTokenIndex(startingAtOrAfter: 3) == 1)
        #expect(analyzed.tokenRange(overlapping: 1..<5) == 0..<2)
        #expect(analyzed.tokenRange(overlapping: 2..<4) == 1..<1)
    }

    @Test func emptyAndBlankTexts() {
        #expect(AnalyzedText("").tokens.isEmpty)
        #expect(AnalyzedText("").sentences.isEmpty)
        let blank = AnalyzedText(" \n\u{200F}\t\r\n")
        #expect(blank.tokens.isEmpty)
        #expect(blank.paragraphs.isEmpty)
    }

    @Test func asciiClassTableMatchesTheSwitch() {
        for byte in UInt8(0)..<0x80 {
            #expect(Scalars.asciiClass(byte) == Scalars.asciiClassBySwitch(byte), "byte \(byte)")
        }
    }

    @Test func languageDetectionCountsLettersInEveryChunkAndTail() {
        // Eight-byte chunks, the bytes after them, and a sample limit inside a chunk.
        #expect(LanguageDetector.detect(Array("abc قال".utf8)) == .english)
        #expect(LanguageDetector.detect(Array("12345678 ab قال وزير".utf8)) == .arabic)
        #expect(LanguageDetector.detect(Array("قال وزير [abcdefgh]".utf8)) == .english)
        #expect(LanguageDetector.detect(Array("قال وزير abcdefghijk".utf8), sampleBytes: 14) == .arabic)
        #expect(LanguageDetector.detect(Array("xyz@[`{ABZ".utf8)) == .english)
        let text = "«قال الوزير» said the minister, ٣ times"
        #expect(LanguageDetector.detect(Array(text.utf8), in: 0..<13) == LanguageDetector.detect(Array(text.utf8.prefix(13))))
    }

    /// The detector stops reading once the bytes left cannot change its answer (and crosses runs
    /// of Arabic letters in one loop): the answer is the full count's, however late it is decided.
    @Test func languageIsDecidedByTheWholeSample() {
        let latin = String(repeating: "abcdefgh ", count: 60)  // 480 Latin letters
        #expect(LanguageDetector.detect(Array((latin + String(repeating: "ب", count: 481)).utf8)) == .arabic)
        #expect(LanguageDetector.detect(Array((latin + String(repeating: "ب", count: 480)).utf8)) == .english)
        #expect(LanguageDetector.detect(Array((String(repeating: "قال ", count: 200) + String(repeating: "a", count: 599)).utf8)) == .arabic)
        #expect(LanguageDetector.detect(Array((String(repeating: "قال ", count: 200) + String(repeating: "a", count: 600)).utf8)) == .english)
        // Harakat, tatweel and Arabic digits are not letters; a lone lead byte is no letter either.
        #expect(LanguageDetector.detect(Array("ab \u{064E}\u{064E}\u{0640}\u{0660}\u{0661}".utf8)) == .english)
        #expect(LanguageDetector.detect(Array("a بب".utf8) + [0xD8]) == .arabic)
        #expect(LanguageDetector.detect(Array("ab ب".utf8) + [0xD8, 0x41]) == .english)
        // The last Arabic letter may start inside the sample and end past it.
        #expect(LanguageDetector.detect(Array("a بب".utf8), sampleBytes: 5) == .arabic)
        #expect(LanguageDetector.detect(Array("a بب".utf8), sampleBytes: 4) == .english)
    }

    /// The detector's letter counts, eight bytes at a time, against the plain rule applied one
    /// scalar at a time, over texts mixing every kind of byte the chunks must tell apart.
    @Test func letterCountsAreThoseOfOneScalarAtATime() {
        func reference(_ bytes: [UInt8], limit sampleBytes: Int) -> (Int, Int) {
            var arabic = 0, latin = 0, offset = 0
            let limit = min(bytes.count, sampleBytes)
            while offset < limit {
                let (scalar, length) = UTF8ScalarCursor.decode(bytes, at: offset)
                offset += length
                let v = scalar.value
                if (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || (0xC0...0x24F).contains(v) {
                    latin += 1
                } else if (0x0620...0x064A).contains(v) || (0x066E...0x06D3).contains(v) || v == 0x06D5
                    || (0x06EE...0x06EF).contains(v) || (0x06FA...0x06FF).contains(v)
                {
                    arabic += 1
                } else if ((0x0750...0x077F).contains(v) || (0x08A0...0x08FF).contains(v) || (0xFB50...0xFDFF).contains(v)
                    || (0xFE70...0xFEFF).contains(v)) && scalar.properties.isAlphabetic
                {
                    arabic += 1
                }
            }
            return (arabic, latin)
        }
        // Letters at both ends of the two-byte ranges (U+0620, U+063F, U+0640, U+064A, U+066E,
        // U+067F) and the non-letters next to them (U+061F, U+064B, U+0660, U+066D), punctuation
        // and marks, Latin-1, curly quotes, other blocks, invalid and truncated sequences.
        let pieces: [[UInt8]] = [
            Array("the minister".utf8), Array("ABZ az@[`{".utf8), Array(" 2015 ".utf8), Array("\n".utf8),
            Array("قال الوزير".utf8), Array("\u{0620}\u{063F}\u{0640}\u{064A}\u{066E}\u{067F}".utf8),
            Array("\u{061F}\u{064B}\u{0660}\u{066D}\u{060C}\u{0600}".utf8), Array("éñ×".utf8), Array("“”«»".utf8),
            Array("\u{06A9}\u{06CC}\u{0750}\u{FB50}\u{FE8D}".utf8), Array("中文".utf8), Array("😀".utf8),
            [0xD8], [0xD9], [0xD8, 0x41], [0xD9, 0xC0], [0x80], [0xBF, 0xA0], [0xE2, 0x80], [0xFF],
        ]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<400 {
            var bytes: [UInt8] = []
            let count = Int.random(in: 0...40, using: &generator)
            for _ in 0..<count { bytes += pieces.randomElement(using: &generator)! }
            let limit = round % 3 == 0 ? Int.random(in: 0...(bytes.count + 2), using: &generator) : Int.max
            let counts = bytes.withUnsafeBufferPointer {
                LanguageDetector.letterCounts($0, sampleBytes: limit, stopWhenDecided: false)
            }
            let expected = reference(bytes, limit: limit)
            #expect(counts.arabic == expected.0 && counts.latin == expected.1, "\(bytes) limit \(limit)")
        }
    }
}
