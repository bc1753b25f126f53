import AnnotationModel
import Evaluation
import Testing

/// Arabic, an emoji outside the BMP and a flag (two scalars): code points, UTF-16 units and UTF-8
/// bytes all differ, so any unit mix-up shows.
let mixedText = "😀 قال المتحدث «ربما نفوز» اليوم.\nThe 🇺🇳 envoy said \"maybe\" twice."

@Suite struct BratReaderTests {
    @Test func codePointOffsetsBecomeUTF8() throws {
        let ann = """
            T1\tCue 2 5\tقال
            T2\tSource 6 13\tالمتحدث
            T3\tSource 40 45\tenvoy
            T4\tCue 46 50\tsaid
            E1\tAttribution:T4 Source:T3
            #1\tAnnotatorNotes T1\ta note
            """
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "x.ann")
        #expect(document.spans.map(\.kind) == [.cue, .source, .source, .cue])
        #expect(document.spans.map(\.range) == [5..<11, 12..<26, 74..<79, 80..<84])
        #expect(document.spans.map(\.text) == ["قال", "المتحدث", "envoy", "said"])
        #expect(document.spans[0].origin == "x.ann:1")
    }

    @Test func discontinuousSpanKeepsFragments() throws {
        // brat writes a discontinuous span's text as its pieces joined by one space.
        let ann = "T1\tSource 2 5;6 13\tقال المتحدث\nT2\tCue 40 45;51 58\tenvoy \"maybe\"\n"
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "d.ann")
        #expect(document.spans[0].fragments == [5..<11, 12..<26])
        #expect(document.spans[0].range == 5..<26)
        #expect(document.spans[1].fragments == [74..<79, 85..<92])
        #expect(document.spans[1].length == 5 + 7)
    }

    @Test func quotesComeFromContentWithQuotationMarks() throws {
        let ann = """
            T1\tContent 14 25\t«ربما نفوز»
            T2\tContent 51 58\t"maybe"
            T3\tContent 0 13\t😀 قال المتحدث
            T4\tAttribution 46 50\tsaid
            T5\tDiscuss 40 45\tenvoy
            """
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "q.ann")
        // Content itself is not a scored kind; the indirect one (T3) gives no quote.
        #expect(document.spans.map(\.kind) == [.quote, .quote])
        #expect(document.spans.map(\.text) == ["«ربما نفوز»", "\"maybe\""])
    }

    @Test func quoteMarksJustOutsideContentBelongToTheQuote() throws {
        // Annotators often start content inside the marks.
        let ann = "T1\tContent 15 24\tربما نفوز\nT2\tContent 52 57\tmaybe\n"
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "q.ann")
        #expect(document.spans.map(\.text) == ["«ربما نفوز»", "\"maybe\""])
    }

    @Test func quotationsInsideLongerContent() {
        let text = "He said “it’s finished,” and added, “I will not run.” Later ‘in their heads’ — don’t ‘quote"
        let utf8 = Array(text.utf8)
        let quotes = BratReader.quotations(in: [0..<utf8.count], utf8: utf8).map { String(decoding: utf8[$0], as: UTF8.self) }
        // The apostrophe in it’s does not close the “…” quote; ‘quote never closes and gives nothing.
        #expect(quotes == ["“it’s finished,”", "“I will not run.”", "‘in their heads’"])
    }

    @Test func quotationOverParagraphsIsOne() {
        // Fragments split at a paragraph break, opening mark repeated, closing mark only at the end.
        let text = "“First paragraph,\n“second paragraph.” he said"
        let utf8 = Array(text.utf8)
        let split = Array("“First paragraph,".utf8).count
        let end = Array("“First paragraph,\n“second paragraph.”".utf8).count
        let quotes = BratReader.quotations(in: [0..<split, (split + 1)..<end], utf8: utf8)
        #expect(quotes == [0..<end])
    }

    @Test func repeatedContentGivesOneQuote() throws {
        let ann = "T1\tContent 51 58\t\"maybe\"\nT2\tContent 46 58\tsaid \"maybe\"\n"
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "q.ann")
        #expect(document.spans.count == 1)
    }

    @Test func attributesAttachToTheirSpan() throws {
        let ann = "T1\tSource 40 45\tenvoy\nA1\tNamed T1\nA2\tType T1 person\n"
        let document = try BratReader().read(annotations: ann, text: mixedText, annPath: "a.ann")
        #expect(document.spans[0].attributes == ["Named": .bool(true), "Type": .string("person")])
    }

    @Test func typesNamedLikeKindsAreKept() throws {
        let document = try BratReader().read(annotations: "T1\tHedge 52 57\tmaybe", text: mixedText, annPath: "h.ann")
        #expect(document.spans.map(\.kind) == [.hedge])
    }

    @Test func textThatDoesNotMatchIsAnErrorWithItsLine() {
        // UTF-16 offsets where code points are expected select other text.
        let ann = "T1\tCue 2 5\tقال\nT2\tSource 7 14\tالمتحدث\n"
        #expect(throws: GoldError(file: "bad.ann", line: 2, message: "span text 'المتحدث' differs from the text file's 'لمتحدث ' (offsets must count code points)")) {
            try BratReader().read(annotations: ann, text: mixedText, annPath: "bad.ann")
        }
    }

    @Test func malformedLinesAreErrorsWithTheirLine() {
        let cases: [(String, Int)] = [
            ("T1\tCue 2 5\tقال\nT2\tCue two 5\tx\n", 2),
            ("T1\tCue 5 2\tx\n", 1),
            ("\n\nT1\tCue 2 500\tx\n", 3),
            ("T1\tCue 2 5\tقال\nQ1 what\n", 2),
            ("T1\tCue\n", 1),
        ]
        for (ann, line) in cases {
            do {
                _ = try BratReader().read(annotations: ann, text: mixedText, annPath: "m.ann")
                Issue.record("accepted \(ann)")
            } catch {
                #expect(error.line == line)
                #expect(error.description.hasPrefix("m.ann:\(line): "))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
