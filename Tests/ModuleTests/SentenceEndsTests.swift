import Testing
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
}
