import Testing
@testable import TextEngine

/// The scanner crosses the text outside quotations eight bytes at a time, looking only for bytes
/// that may start a mark (a table of `mayStartQuoteMark`), and reads the scalar before a mark back from the text: these must give
/// the answers of the byte-by-byte walk.
@Suite struct QuotationScannerFastPathTests {
    /// The candidate search finds the first candidate byte at every position and text length,
    /// across the eight-byte steps and in the tail shorter than one, as the one-byte test finds it.
    @Test func candidateSearchFindsTheFirstCandidate() {
        for length in 0..<24 {
            for markAt in 0...length {
                for mark: UInt8 in [0x22, 0x27, 0x60, 0xC2, 0xE2, 0xF0] {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    if markAt < length { bytes[markAt] = mark }
                    for start in 0...length {
                        let expected = (start..<length).first { mayStartQuoteMark(bytes[$0]) } ?? length
                        let found = bytes.withUnsafeBufferPointer { nextQuoteMarkCandidate($0, from: start) }
                        #expect(found == expected, "length \(length), mark at \(markAt), from \(start)")
                    }
                }
            }
        }
    }

    /// Spans, word counts and closure as the byte-by-byte scan gave them (its answers, kept here):
    /// Arabic punctuation inside a quotation, broken UTF-8 just before a mark, a text without marks,
    /// texts ending mid-word inside an unclosed quotation, every mark style in one line, and a
    /// quotation continued over one paragraph and ended by a blank line.
    @Test func sameAnswersAsTheByteByByteScan() {
        let cases: [(bytes: [UInt8], expected: [(Range<Int>, Int, Bool)])] = [
            (Array("He said “the ministry’s plan، بالتأكيد؛ is off” and left.".utf8), [(8..<63, 6, true)]),
            ([0x61, 0x20, 0xC2, 0x85, 0x80, 0x22, 0x62, 0x63, 0x22], [(5..<9, 1, true)]),
            ([0xE2, 0x80, 0x22, 0x61, 0x22], [(2..<5, 1, true)]),
            (Array("plain text, no marks at all, long enough for several chunks".utf8), []),
            (Array("“unclosed and ending mid-wor".utf8), [(0..<30, 4, false)]),
            (Array("«كلام بلا إغلاق، وينتهي النص في منتصف كلم".utf8), [(0..<75, 8, false)]),
            (Array("“one” ‘two three’ «four» \"five six\" 'seven' ``eight'' „nine“".utf8),
             [(0..<9, 1, true), (10..<25, 2, true), (26..<34, 1, true), (35..<45, 2, true), (46..<53, 1, true),
              (54..<63, 1, true), (64..<74, 1, true)]),
            (Array("x “a\n“b\n\nc” y".utf8), [(2..<11, 2, false)]),
        ]
        for (bytes, expected) in cases {
            let quotations = QuotationScanner.scan(bytes)
            #expect(quotations.map(\.range) == expected.map(\.0), "in \(String(decoding: bytes, as: UTF8.self))")
            #expect(quotations.map(\.wordCount) == expected.map(\.1), "in \(String(decoding: bytes, as: UTF8.self))")
            #expect(quotations.map(\.isClosed) == expected.map(\.2), "in \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// Inside a quotation words are counted by the class of each byte: the classes are those the
    /// general tests give the scalar.
    @Test func byteClassesAreTheGeneralTestsAnswers() {
        for byte in UInt8(0)...255 {
            let expected: UInt8
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: expected = QuoteByteClass.word
            case 0x20, 0x09, 0x0B, 0x0C: expected = QuoteByteClass.space
            case 0x0A, 0x0D: expected = QuoteByteClass.lineBreak
            case 0x2D: expected = QuoteByteClass.hyphen
            case 0x22, 0x27, 0x60: expected = QuoteByteClass.general
            case 0xD8...0xDB: expected = QuoteByteClass.arabicLead
            case 0x80...0xFF: expected = QuoteByteClass.general
            default: expected = QuoteByteClass.punctuation
            }
            #expect(quoteByteClasses[Int(byte)] == expected, "byte \(byte)")
        }
    }

    /// Word counts inside quotations across every byte class, the Arabic block's punctuation,
    /// letters outside its fast ranges and marks, and apostrophes between ASCII letters (the
    /// byte-by-byte scan's answers).
    @Test func wordsAreCountedByByteClass() {
        let cases: [(text: String, expected: [(Range<Int>, Int)])] = [
            ("“a\u{0B}b\u{0C}c-d -e f- ،ب٪x ۔ ەڤ \u{0610}ب it's don’t ‘90s\u{7F}q\u{0}r”", [(0..<64, 14)]),
            ("«نعمٌ، بالتأكيد٣ abcنعم ٢٠١٥ ڤيديو؟ ەڤ x» and “Ministry’s ‘plan’ isn’t ‘’ done”",
             [(0..<72, 7), (77..<126, 4), (93..<103, 1)]),
        ]
        for (text, expected) in cases {
            let quotations = QuotationScanner.scan(text)
            #expect(quotations.map(\.range) == expected.map(\.0), "in \(text)")
            #expect(quotations.map(\.wordCount) == expected.map(\.1), "in \(text)")
        }
    }

    /// The marks' texts are constants where their bytes are well-formed UTF-8, and the bytes
    /// decoded otherwise: either way the text of the bytes between the quotation's edges and its
    /// words, for every mark style, an over-long form the decoder reads as `"`, and a lone lead byte.
    @Test func markTextsAreTheTextsOfTheirBytes() {
        for mark: QuoteMark in [.leftDouble, .rightDouble, .leftSingle, .rightSingle, .straightDouble, .straightSingle,
                                .leftGuillemet, .rightGuillemet, .leftSingleGuillemet, .rightSingleGuillemet, .lowDouble,
                                .lowSingle, .leftCorner, .rightCorner, .leftWhiteCorner, .rightWhiteCorner,
                                .doubleBacktick, .doubleStraightSingle] {
            let bytes = Array(mark.text.utf8)
            let packed = bytes.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            #expect(mark.packedUTF8 == packed, "\(mark)")
            #expect(mark.text(writtenAs: bytes[...]) == mark.text, "\(mark)")
            if let scalar = mark.text.unicodeScalars.first, mark.text.unicodeScalars.count == 1 {
                #expect(QuoteMark.at(bytes, 0, scalar: scalar)?.0 == mark, "\(mark)")
            }
        }
        let texts: [[UInt8]] = [
            Array("“one” ‘two three’ «four» \"five six\" 'seven' ``eight'' „nine“ ‹ten› ‚eleven‘ 「x」 『y』 »z«".utf8),
            [0x61, 0x20, 0xE0, 0x80, 0xA2, 0x77, 0x6F, 0x72, 0x64, 0x22, 0x20, 0x62],
            [0x61, 0x20, 0xE2, 0x80, 0x9C, 0x77, 0x6F, 0x72, 0x64, 0xE2, 0x80],
        ]
        for bytes in texts {
            let quotations = QuotationScanner.scan(bytes)
            #expect(!quotations.isEmpty)
            for quotation in quotations {
                #expect(quotation.openingMark
                    == String(decoding: bytes[quotation.range.lowerBound..<quotation.contentRange.lowerBound], as: UTF8.self))
                if let closing = quotation.closingMark {
                    #expect(closing == String(decoding: bytes[quotation.contentRange.upperBound..<quotation.range.upperBound], as: UTF8.self))
                }
            }
        }
        #expect(QuotationScanner.scan(texts[1]).first?.openingMark == "\u{FFFD}")
    }
}
