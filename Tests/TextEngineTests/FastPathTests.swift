import Testing
@testable import TextEngine

/// The tokenizer's and the form table's fast paths must agree with their general ones.
@Suite struct FastPathTests {
    /// FNV-style reference of the chunk hash, byte by byte: chunks of eight little-endian bytes,
    /// the last zero-padded, at least one.
    private func referenceHash(_ bytes: [UInt8]) -> UInt32 {
        var state = FormTable.hashSeed
        var index = 0
        repeat {
            var chunk: UInt64 = 0
            for k in 0..<8 where index + k < bytes.count { chunk |= UInt64(bytes[index + k]) << (8 * UInt64(k)) }
            state = FormTable.mixChunk(state, chunk)
            index += 8
        } while index < bytes.count
        return FormTable.finish(state)
    }

    @Test func paddedHashAgreesWithThePlainHash() {
        let samples: [[UInt8]] = [[], [0x61], Array("said".utf8), Array("minister".utf8), Array("ministers".utf8),
                                  Array("internationally".utf8), Array("sixteen letters!".utf8), Array("قال الوزير".utf8)]
        for bytes in samples {
            let plain = bytes.withUnsafeBufferPointer { FormTable.hash($0) }
            #expect(plain == referenceHash(bytes))
            // Padded: garbage after the bytes must not matter.
            var padded = bytes + [0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88]
            let fromPadded = padded.withUnsafeMutableBufferPointer { FormTable.hash(padded: $0.baseAddress!, count: bytes.count) }
            #expect(fromPadded == plain, "\(bytes)")
        }
    }

    @Test func asciiLetterBitsMatchTheByteTest() {
        for byte in 0...255 {
            // The byte among letters (a, A) and non-letters (NUL), no carry crossing into them.
            let chunk = UInt64(byte) << 16 | 0x4100_0061
            let bits = Tokenizer.asciiLetterBits(chunk)
            let isLetter = (UInt8(byte) | 0x20) &- 0x61 < 26
            #expect((bits >> 23) & 1 == (isLetter ? 1 : 0), "byte \(byte)")
            #expect(bits & 0x80 != 0 && bits & 0x8000 == 0 && bits & 0x8000_0000 != 0 && bits >> 32 == 0, "byte \(byte)")
        }
    }

    /// Words of every length around the 8-byte chunks, at the end of the text (fewer than eight
    /// bytes left) and inside it, in every case: the same forms and flags as when the general
    /// path scans them (a word followed by a digit goes there), and one form id for one form.
    @Test func wordsScannedByChunksAgreeWithTheGeneralPath() {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for length in 1...20 {
            let lower = String((0..<length).map { letters[$0 % 26] })
            for word in [lower, lower.uppercased(), lower.prefix(1).uppercased() + lower.dropFirst()] {
                for text in ["\(word)", "\(word) x", "x \(word), \(word.lowercased()) yy", "\(word) \(word)"] {
                    let analyzed = AnalyzedText(text)
                    let general = AnalyzedText(text.replacingOccurrences(of: word, with: word + "1"))
                    for (index, token) in analyzed.tokens.enumerated() where token.kind == .word {
                        let form = analyzed.form(ofToken: index)
                        #expect(form == analyzed.text(ofToken: index).lowercased())
                        #expect(analyzed.forms.find(form) == Int(token.form))
                        let other = general.tokens[index]
                        #expect(other.flags == token.flags, "\(text) token \(index)")
                    }
                    #expect(analyzed.forms.count == Set(analyzed.tokens.map(\.form)).count)
                }
            }
        }
        let tokens = AnalyzedText("The NATO summit. US and Us").tokens
        #expect(tokens[0].flags.contains(.capitalized) && !tokens[0].flags.contains(.allCaps))
        #expect(tokens[1].flags.contains(.allCaps) && tokens[1].flags.contains(.spaceBefore))
        #expect(tokens[4].flags.contains(.allCaps) && !tokens[6].flags.contains(.allCaps))
    }

    @Test func wordsEndingMidTextAndBeforeNonASCII() {
        #expect(TextNormalizer.forms(of: "naïve café's") == ["naïve", "café's"])
        #expect(TextNormalizer.forms(of: "abcdefghé") == ["abcdefghé"])
        #expect(TextNormalizer.forms(of: "ABCDEFGH\u{00A0}x") == ["abcdefgh", "x"])
        #expect(TextNormalizer.forms(of: "word قال") == ["word", "قال"])
    }

    /// ASCII words stopped by a byte that may go on a word (. ' - digits, non-ASCII): where
    /// `scanWordGeneral` would stop there too, the chunked scan keeps the word; the forms and
    /// flags must be those of the general path, which takes the rest.
    @Test func wordsStoppedByBytesThatMayContinueAWord() {
        let cases: [(text: String, forms: [String])] = [
            ("He said. Then", ["he", "said", ".", "then"]),
            ("U.S. and e.g. a.m.", ["u.s.", "and", "e.g.", "a.m."]),
            ("J. Smith", ["j", ".", "smith"]),
            ("don't 'quote' rock'n'roll it'", ["don't", "'", "quote", "'", "rock'n'roll", "it", "'"]),
            ("Trump\u{2019}s \u{201C}word\u{201D} well-known end- x-1 ab- ab-\u{2014}",
             ["trump's", "\u{201C}", "word", "\u{201D}", "well-known", "end", "-", "x-1", "ab", "-", "ab", "-", "\u{2014}"]),
            ("abc1 na\u{EF}ve abcdefgh\u{2014} abcdefghi. abcdefghijklmnopq.",
             ["abc1", "na\u{EF}ve", "abcdefgh", "\u{2014}", "abcdefghi", ".", "abcdefghijklmnopq", "."]),
            ("ab\u{2011}cd ab\u{2011} ab\u{2019}", ["ab-cd", "ab", "-", "ab", "'"]),
            ("end.", ["end", "."]),
        ]
        for (text, forms) in cases {
            #expect(TextNormalizer.forms(of: text) == forms, "\(text)")
        }
        let tokens = AnalyzedText("SAID. Said. said.").tokens
        #expect(tokens[0].flags.contains(.allCaps) && tokens[0].flags.contains(.capitalized))
        #expect(tokens[2].flags.contains(.capitalized) && !tokens[2].flags.contains(.allCaps))
        #expect(!tokens[4].flags.contains(.capitalized) && tokens[4].flags.contains(.spaceBefore))
        #expect(!tokens[1].flags.contains(.spaceBefore) && tokens[2].flags.contains(.spaceBefore))
    }

    /// Punctuation forms are interned from a register (`emitShort`): the same forms, one id each.
    @Test func punctuationFormsFromRegisters() {
        let text = "\u{201C}Hi,\u{201D} he said\u{2026} (ok) \u{2014} \u{AB}x\u{BB} \u{061F} 'a' -b- \u{201C}Hi,\u{201D}"
        #expect(TextNormalizer.forms(of: text) == ["\u{201C}", "hi", ",", "\u{201D}", "he", "said", "...", "(", "ok", ")",
                                                   "\u{2014}", "\u{AB}", "x", "\u{BB}", "\u{061F}", "'", "a", "'", "-",
                                                   "b", "-", "\u{201C}", "hi", ",", "\u{201D}"])
        let analyzed = AnalyzedText(text)
        for (index, token) in analyzed.tokens.enumerated() {
            #expect(analyzed.forms.find(analyzed.form(ofToken: index)) == Int(token.form))
        }
        #expect(analyzed.forms.count == Set(analyzed.tokens.map(\.form)).count)
    }

    /// More tokens than the room first reserved for them (one per five bytes): all kept, in order.
    @Test func tokensOutgrowingTheirFirstRoom() {
        let cases: [(text: String, surfaces: [String])] = [
            (String(repeating: "a,", count: 400), Array(repeating: ["a", ","], count: 400).flatMap { $0 }),
            (String(repeating: "a ", count: 100), Array(repeating: "a", count: 100)),
            ("a b c", ["a", "b", "c"]), ("", []),
        ]
        for (text, surfaces) in cases {
            let analyzed = AnalyzedText(text)
            #expect(analyzed.tokens.indices.map { analyzed.text(ofToken: $0) } == surfaces)
        }
    }

    /// The Arabic loop's table against the rule it encodes.
    @Test func arabicTwoByteTableMatchesTheRanges() {
        for index in 0..<128 {
            let v = UInt32(0x0600 + index)
            let code = Tokenizer.arabicTwoByteTable.utf8Start[index]
            if v == Scalars.tatweel {
                #expect(code == Tokenizer.arabicTatweel)
            } else if (0x0621...0x064A).contains(v) {
                let normalized = Tokenizer.normalizeArabicLetter(v)
                #expect(normalized >> 6 == v >> 6 && UInt32(code) == normalized & 0x3F, "U+\(String(v, radix: 16))")
            } else if (0x064B...0x065F).contains(v) {
                #expect(code == Tokenizer.arabicDiacritic)
            } else {
                #expect(code == Tokenizer.arabicStop, "U+\(String(v, radix: 16))")
            }
        }
        #expect(TextNormalizer.forms(of: "أَحْمَد إلى آخر الـمـدى") == ["احمد", "الي", "اخر", "المدي"])
        #expect(TextNormalizer.forms(of: "........ ......... .") == ["........", ".........", "."])
    }

    /// The builder's short-form words (`slotChunks`): a form is found whichever of the three
    /// interning paths added it and whichever looks it up, forms that differ only by trailing
    /// zero bytes (the same hash, the same zero-padded word) stay apart, and the slots growing
    /// (from room for four forms) keeps every form's word. Then the finished table finds them all.
    @Test func builderFindsEachFormOnceWhicheverPathInternedIt() {
        var samples: [[UInt8]] = [[], [0], [0, 0], [0x61], [0x61, 0], [0x61, 0, 0], [0, 0x61], [0x61, 0, 0x62],
                                  Array("\u{201C}".utf8), Array("قال".utf8), Array("الوزير".utf8), Array("...".utf8)]
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        for length in 1...20 {
            samples.append((0..<length).map { letters[$0 % 26] })
            samples.append((0..<length).map { letters[($0 * 7 + length) % 26] })
        }
        let slotCount = FormTable.Builder.slotCount(forms: 4)
        var reference: [[UInt8]: Int32] = [:]
        var builder: FormTable.Builder?
        let slots = [UInt64](unsafeUninitializedCapacity: 2 * slotCount) { room, initialized in
            var forms = FormTable.Builder(forms: 4, bytes: 8, slots: room.baseAddress!, slotChunks: room.baseAddress! + slotCount)
            for round in 0..<3 {
                for (index, bytes) in samples.enumerated() {
                    let hash = bytes.withUnsafeBufferPointer { FormTable.hash($0) }
                    var word: UInt64 = 0
                    for (k, byte) in bytes.prefix(8).enumerated() { word |= UInt64(byte) << (8 * UInt64(k)) }
                    let isShort = (1...8).contains(bytes.count) && !bytes.contains(0)
                    let isLetters = !bytes.isEmpty && bytes.allSatisfy { letters.contains($0) }
                    let id: Int32
                    switch (index + round) % 3 {
                    case 0 where isShort:
                        #expect(FormTable.Builder.shortChunk(word, count: bytes.count) == word)
                        id = forms.intern(chunk: word, count: bytes.count, hash: hash)
                    case 1 where isLetters:
                        // The text's letters may be capitals: the form is their lowercase.
                        let source = bytes.map { $0 & ~0x20 }
                        id = source.withUnsafeBufferPointer {
                            forms.intern(asciiWord: $0.baseAddress!, count: bytes.count, firstChunk: word, hash: hash)
                        }
                    default:
                        let padded = bytes + [0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88]
                        id = padded.withUnsafeBufferPointer { forms.intern(padded: $0.baseAddress!, count: bytes.count, hash: hash) }
                    }
                    if let known = reference[bytes] {
                        #expect(id == known, "\(bytes) round \(round)")
                    } else {
                        #expect(Int(id) == reference.count, "\(bytes)")
                        reference[bytes] = id
                    }
                }
            }
            initialized = forms.slotsBorrowed ? slotCount : 0
            builder = forms
        }
        let table = builder!.finish(slots: slots)
        #expect(table.count == reference.count)
        for (bytes, id) in reference {
            #expect(bytes.withUnsafeBufferPointer { table.find($0, hash: FormTable.hash($0)) } == id)
            #expect(Array(table.bytes(Int(id))) == bytes)
        }
    }

    /// A one-byte punctuation token seen before in the text comes from `run`'s table, not from
    /// classifying and interning it again: the same form id, kind and flags as the first one
    /// (which took the general path), whatever scalar first brought the form (’ brings ').
    @Test func repeatedASCIIPunctuationAgreesWithItsFirstToken() {
        let texts = [
            "a, b, c; d; e: f: (g) (h) [i] \"j\" \"k\" !? !? # # @ @ _ _ ` ` { } { }",
            "x \u{2019}y\u{2019} 'z' - w - 'v'",
            "One. Two. Three... Four. Five.\nSix.",
            "..",
            ". ",
            "end.",
            "a.. b. c... d. .",
            "1.5. 2, 3,",
        ]
        for text in texts {
            let analyzed = AnalyzedText(text)
            var firstOfForm: [String: Token] = [:]
            for (index, token) in analyzed.tokens.enumerated() {
                let surface = analyzed.text(ofToken: index)
                let form = analyzed.form(ofToken: index)
                // The form and kind the general path gives the token on its own.
                let alone = AnalyzedText(surface)
                #expect(alone.tokens.count == 1, "\(text): \(surface)")
                #expect(alone.form(ofToken: 0) == form, "\(text): \(surface)")
                #expect(alone.tokens[0].kind == token.kind, "\(text): \(surface)")
                #expect(analyzed.forms.find(form) == Int(token.form), "\(text): \(surface)")
                if let first = firstOfForm[form] {
                    #expect(first.form == token.form && first.kind == token.kind, "\(text): \(surface)")
                } else {
                    firstOfForm[form] = token
                }
                // White space before a token, and the line start, still reach its flags.
                let spaced = token.start == 0 || [0x20, 0x0A].contains(analyzed.utf8[token.start - 1])
                #expect(token.flags.contains(.spaceBefore) == spaced, "\(text): \(surface) at \(token.start)")
            }
        }
        #expect(TextNormalizer.forms(of: "a. b... c. d.") == ["a", ".", "b", "...", "c", ".", "d", "."])
        #expect(TextNormalizer.forms(of: "x\u{2019} ' y' \u{2019}") == ["x", "'", "'", "y", "'", "'"])
        #expect(AnalyzedText("").tokens.isEmpty)
    }

    /// Arabic words one space apart are scanned in one call (`scanArabicWords`); any other
    /// separation goes back through `run`. The same tokens and flags either way.
    @Test func arabicWordRunsAgreeWithWordsScannedOneByOne() {
        let words = ["قَالَ", "الـــوزير", "إنّ", "پدر", "و", "ى", "ٱلله", "كتب"]
        let single = AnalyzedText(words.joined(separator: " "))
        let double = AnalyzedText(words.joined(separator: "  "))
        #expect(single.tokens.count == words.count && double.tokens.count == words.count)
        for index in words.indices {
            let alone = AnalyzedText(words[index])
            #expect(single.form(ofToken: index) == alone.form(ofToken: 0), "\(words[index])")
            #expect(double.form(ofToken: index) == alone.form(ofToken: 0), "\(words[index])")
            #expect(single.tokens[index].flags == double.tokens[index].flags, "\(words[index])")
            #expect(single.tokens[index].kind == .arabicWord)
            #expect(single.text(ofToken: index) == words[index])
        }
        // Arabic words before Latin words, digits, punctuation, a line break, and at the very end.
        #expect(TextNormalizer.forms(of: "قال Reuters قال 5 قال، قال\nقال قال") ==
            ["قال", "reuters", "قال", "5", "قال", "،", "قال", "قال", "قال"])
        let mixed = AnalyzedText("قال قال\nقال")
        #expect(mixed.tokens[2].flags.contains(.paragraphStart))
        #expect(mixed.tokens[1].flags.contains(.spaceBefore) && !mixed.tokens[1].flags.contains(.paragraphStart))
    }

    /// `scanWordGeneral` counts a run of ASCII letters eight bytes at a time: runs longer and
    /// shorter than eight, at the text's end and before other letters, give the same words.
    @Test func generalWordsWithLongLetterRuns() {
        #expect(TextNormalizer.forms(of: "Extraordinarily-complicated counterintelligence's U.S.-BACKED") ==
            ["extraordinarily-complicated", "counterintelligence's", "u.s.", "-", "backed"])
        #expect(TextNormalizer.forms(of: "ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefgh") == ["abcdefghijklmnopqrstuvwxyz-abcdefgh"])
        #expect(TextNormalizer.forms(of: "x-abcdefghijklmnop") == ["x-abcdefghijklmnop"])
        #expect(TextNormalizer.forms(of: "abcdefghijklmnopqrstuvwxyzcafé-Straße") == ["abcdefghijklmnopqrstuvwxyzcafé-straße"])
        #expect(TextNormalizer.forms(of: "well-knownnnnnnnnnn, don'tttttttttt.") == ["well-knownnnnnnnnnn", ",", "don'tttttttttt", "."])
        let allCaps = AnalyzedText("NORTH-ATLANTICTREATY")
        #expect(allCaps.tokens.count == 1 && allCaps.tokens[0].flags.contains(.allCaps))
    }

    /// `run` takes \n from its byte table: the token after it starts a paragraph, after a word,
    /// after punctuation, at the text's start, twice in a row, and as \r\n (which goes the
    /// general way), exactly as the general path marks it.
    @Test func lineFeedsFromTheByteTableStartParagraphs() {
        let analyzed = AnalyzedText("\nA.\nB,\n\nC\r\nD \n E\u{2028}F")
        #expect(analyzed.tokens.indices.map { analyzed.text(ofToken: $0) } == ["A", ".", "B", ",", "C", "D", "E", "F"])
        let starts = analyzed.tokens.map { $0.flags.contains(.paragraphStart) }
        #expect(starts == [true, false, true, false, true, true, true, true])
        #expect(analyzed.tokens.allSatisfy { $0.flags.contains(.spaceBefore) || $0.kind == .punctuation })
        #expect(analyzed.paragraphs.count == 6)
    }
}
