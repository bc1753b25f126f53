import Testing
import AnnotationModel
import TextEngine
@testable import QuotationsModule

@Suite("sentence ends and words (quotations)")
struct SentenceEndsTests {
    @Test func arabicBlockWordScalarsAgreeWithTheProperties() {
        for value in UInt32(0x0600)...0x06FF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(SentenceEnds.isWordScalar(scalar) == SentenceEnds.isWordScalarByProperties(scalar),
                    "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    /// White space and case as the properties answer them, for ASCII and the Arabic block, which
    /// are answered without them.
    @Test func whitespaceAndCaseAgreeWithTheProperties() {
        for value in Array(UInt32(0)...0x7F) + Array(UInt32(0x0600)...0x06FF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(SentenceEnds.isWhitespace(scalar) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
            #expect(SentenceEnds.isLowercase(scalar) == scalar.properties.isLowercase, "U+\(String(value, radix: 16))")
        }
    }

    @Test func abbreviationsAreFoundWithoutMakingStrings() {
        let text = Array("Mr. Kim met Gen. Lee. MESSRS. Smith left. He cited No. 5. The end.".utf8)
        let ends = SentenceEnds.find(in: text, excluding: [])
        // After "Lee." and "left." and "5." and "end." (the text's end), not after the titles.
        #expect(ends == [21, 41, 57, text.count])
    }

    @Test func arabicAndOtherTerminatorsEndSentences() {
        let question = "هل جاء؟ نعم"
        let ellipsis = "Wait… Then"
        #expect(SentenceEnds.find(in: Array(question.utf8), excluding: []) == [Array("هل جاء؟".utf8).count])
        #expect(SentenceEnds.find(in: Array(ellipsis.utf8), excluding: []) == [Array("Wait…".utf8).count])
        // A lead byte of those marks that starts something else is no end.
        #expect(SentenceEnds.find(in: Array("قال ذلك".utf8), excluding: []).isEmpty)
    }

    /// Bytes are skipped eight at a time while ASCII: an end is found wherever it falls in a
    /// chunk, after ASCII or Arabic of any length, and a lone lead byte does not hide the byte after it.
    @Test func endsAreFoundAtEveryOffsetOfAChunk() {
        for padding in 0..<17 {
            for lead in ["", "قال ", "é", "\u{201C}"] {
                let head = lead + String(repeating: "x", count: padding)
                let text = head + ". Next one! And? Yes\nZ. قال؟ نعم"
                let utf8 = Array(text.utf8)
                func end(after prefix: String) -> Int { Array((head + prefix).utf8).count }
                #expect(SentenceEnds.find(in: utf8, excluding: []) == [
                    end(after: "."), end(after: ". Next one!"), end(after: ". Next one! And?"),
                    end(after: ". Next one! And? Yes"), end(after: ". Next one! And? Yes\nZ. قال؟"),
                ], "\(padding) \(lead)")
            }
            // A stray lead byte right before a full stop.
            let stray = Array(String(repeating: "x", count: padding).utf8) + [0xD8] + Array(". Next".utf8)
            #expect(SentenceEnds.find(in: stray, excluding: []) == [padding + 2], "\(padding)")
        }
    }

    /// The scan stops at 9F, the second byte of ؟, and not at each D8: other scalars with a 9F byte
    /// (emoji, ڟ, ‟, ٟ, ۟) are no ends; abbreviations are found by their packed key, up to six letters.
    @Test func stopsAtTheSecondByteOfTheArabicQuestionMark() {
        #expect(SentenceEnds.find(in: Array("😀 ڟ ‟ ٟ text ۟ more".utf8), excluding: []).isEmpty)
        let text = Array("Really؟ Yes. Messrs. Abcdefg. Mr. mr. U. Smith. Ltd. Hon.".utf8)
        // After ؟, "Yes.", "Abcdefg." (seven letters: no title), "Smith." and "Ltd." (not listed).
        #expect(SentenceEnds.find(in: text, excluding: []) == [8, 13, 30, 48, 53])
        // An end inside an excluded quotation is dropped, one at its edge is kept.
        #expect(SentenceEnds.find(in: text, excluding: [8..<14, 29..<31]) == [8, 48, 53])
    }

    /// The speaker linker reads back the provisional ids of the quotations module's own quotes.
    @Test func provisionalQuoteIdsReadBackAsTheirRanges() {
        for range in [0..<1, 120..<186, 12_345..<12_360, 7..<7] {
            #expect(SpeakerLinker.quoteRange(provisionalID: Annotation.provisionalID(kind: .quote, range: range)) == range)
        }
        for id in ["source:1+2", "quote:1-2", "quote:x+1", "quote:5+-1", "quote:1+2+3", "quote:+4", "quote:",
                   "quote:\(Int.max)+1"] {
            #expect(SpeakerLinker.quoteRange(provisionalID: id) == nil, "\(id)")
        }
    }

    /// The speaker linker's id table answers as a search of the list in order: the first
    /// annotation of an id, nil for an id not there, for ids short and long, ASCII and not, in a
    /// list past the table's first size, and in an empty list.
    @Test func firstIndexByIDIsTheFirstAnnotationOfEachID() {
        func annotation(_ id: String, _ start: Int) -> Annotation {
            Annotation(id: id, module: "sources", kind: .source, range: start..<(start + 1), text: "x")
        }
        var annotations: [Annotation] = []
        for n in 0..<40 {
            annotations.append(annotation(Annotation.provisionalID(kind: .source, range: n..<(n + 3)), n))
        }
        annotations += [annotation("a", 100), annotation("", 101), annotation("source:3+3", 102), annotation("a", 103),
                        annotation("مصدر-طويل-جدا-1", 104), annotation("an id longer than sixteen bytes", 105)]
        let table = FirstIndexByID(annotations)
        for id in annotations.map(\.id) + ["b", "source:3+4", "مصدر", "an id longer than sixteen byteZ", "source:40+3"] {
            #expect(table.find(id, in: annotations) == annotations.firstIndex { $0.id == id }, "\(id)")
        }
        #expect(FirstIndexByID([]).find("a", in: []) == nil)
    }

    /// The linker's word count, which crosses the rest of a word's ASCII and Arabic letters in one
    /// loop, counts as a scalar-by-scalar walk does: at every start and end offset (ranges ending
    /// mid-word and mid-scalar), with limits, over ASCII, Arabic, Latin letters outside ASCII,
    /// digits, marks and a broken byte.
    @Test func wordCountAgreesWithAScalarWalk() {
        for text in ["He said: don't-stop 42 times, café résumé!", "قال الوزير: «لن نتراجع» ٢٠١٥، ثمّ غادر",
                     "mixedقال text وكلام123 end", "x \u{0301}y ñ\u{00A0}z"] {
            let utf8 = Array(text.utf8)
            let linker = SpeakerLinker(utf8: utf8, quotations: [], prior: [])
            for start in 0...utf8.count {
                for end in start...utf8.count {
                    // The scalar walk: a scalar that starts in the range is read whole.
                    var walked = 0
                    var inWord = false
                    var i = start
                    while i < end {
                        let (scalar, length) = UTF8ScalarCursor.decode(utf8, at: i)
                        let isWord = SentenceEnds.isWordScalar(scalar)
                        if isWord && !inWord { walked += 1 }
                        inWord = isWord
                        i += max(1, length)
                    }
                    #expect(linker.wordCount(start..<end) == walked, "\(text) \(start)..<\(end)")
                    for limit in 0..<3 {
                        #expect(linker.wordCount(start..<end, stoppingAfter: limit) == min(walked, limit + 1),
                                "\(text) \(start)..<\(end) \(limit)")
                    }
                }
            }
        }
        let broken: [UInt8] = [0x61, 0xD8, 0x20, 0xD9, 0x62, 0xE2, 0x80]
        let linker = SpeakerLinker(utf8: broken, quotations: [], prior: [])
        #expect(linker.wordCount(0..<broken.count) == 2)
    }

    /// The abbreviation table answers as the list does: every abbreviation is found, and no other
    /// word of up to six letters (all two-letter words, and words made from the abbreviations by
    /// changing, adding or dropping a letter).
    @Test func abbreviationTableAnswersAsTheList() {
        func key(_ word: String) -> UInt64 { word.utf8.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        var words = Set(letters.flatMap { a in letters.map { a + $0 } } + letters)
        for abbreviation in SentenceEnds.abbreviations {
            for letter in letters {
                words.insert(abbreviation + letter)
                words.insert(letter + abbreviation)
                for index in abbreviation.indices {
                    var changed = abbreviation
                    changed.replaceSubrange(index...index, with: letter)
                    words.insert(changed)
                }
            }
            words.insert(String(abbreviation.dropLast()))
        }
        words.formUnion(SentenceEnds.abbreviations)
        for word in words where !word.isEmpty && word.count <= 6 {
            #expect(SentenceEnds.isAbbreviationKey(key(word)) == SentenceEnds.abbreviations.contains(word), "\(word)")
        }
    }
}
