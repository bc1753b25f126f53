import AnnotationModel

/// A span of tokens and the bytes they cover: a sentence, a paragraph, a clause.
public struct TextSegment: Sendable, Hashable {
    /// Token indices into `AnalyzedText.tokens`.
    public let tokens: Range<Int>
    /// UTF-8 range of the original text, from the first token's start to the last token's end.
    public let bytes: Range<Int>

    public init(tokens: Range<Int>, bytes: Range<Int>) {
        self.tokens = tokens
        self.bytes = bytes
    }
}

/// A text analyzed once: tokens with normalized forms, sentences, paragraphs and clause
/// boundaries. Every annotator of a document can share one; queries are array lookups or binary
/// searches.
public struct AnalyzedText: Sendable {
    /// The original text's bytes. Every offset of this type counts in these.
    public let utf8: [UInt8]
    public let tokens: [Token]
    /// The vocabulary of normalized forms; `Token.form` indexes it.
    public let forms: FormTable
    public let sentences: [TextSegment]
    /// One per line with visible text (news text puts one paragraph on a line; see `Paragraphs`).
    public let paragraphs: [TextSegment]
    /// Indices of the tokens that separate clauses inside a sentence: , ، ; ؛ :
    public let clauseBoundaries: [Int]
    /// Sentence index of each token.
    @usableFromInline let sentenceOfToken: [Int32]
    /// Whether some token starts with an Arabic letter or mark. Only Arabic words' forms start
    /// with an Arabic letter, so a text without such a token has no clitic readings, and a
    /// lexicon skips looking for them.
    let hasArabic: Bool

    public init(_ text: String) {
        self.init(utf8: Array(text.utf8))
    }

    /// `utf8` should be UTF-8 (invalid bytes become one-byte symbol tokens). Offsets are kept in
    /// 32 bits: texts up to 2 GiB.
    public init(utf8: [UInt8]) {
        precondition(utf8.count < Int(Int32.max), "text too large for 32-bit offsets")
        let (tokens, forms, hasArabic) = Tokenizer.tokenize(utf8)
        self.hasArabic = hasArabic
        self.utf8 = utf8
        self.tokens = tokens
        self.forms = forms
        let segmentation = SentenceSplitter(tokens: tokens, forms: forms).split()
        self.sentences = segmentation.sentences
        self.paragraphs = segmentation.paragraphs
        self.clauseBoundaries = segmentation.clauseBoundaries
        self.sentenceOfToken = segmentation.sentenceOfToken
    }

    public var text: String { String(decoding: utf8, as: UTF8.self) }

    // MARK: Tokens

    /// The original text of a token.
    public func text(ofToken index: Int) -> String { text(in: tokens[index].range) }

    /// The original text of a byte range.
    public func text(in range: Range<Int>) -> String { String(decoding: utf8[range], as: UTF8.self) }

    /// The normalized form of a token.
    public func form(ofToken index: Int) -> String { forms.string(Int(tokens[index].form)) }

    /// The token whose bytes contain `offset`, or nil when it falls on white space or past the end.
    public func tokenIndex(containing offset: Int) -> Int? {
        let index = firstTokenIndex(endingAfter: offset)
        guard index < tokens.count, tokens[index].start <= offset else { return nil }
        return index
    }

    /// The first token that starts at or after `offset` (`tokens.count` when none does).
    public func firstTokenIndex(startingAtOrAfter offset: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first token that ends after `offset` (`tokens.count` when none does).
    public func firstTokenIndex(endingAfter offset: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The tokens that overlap a byte range.
    public func tokenRange(overlapping range: Range<Int>) -> Range<Int> {
        let first = firstTokenIndex(endingAfter: range.lowerBound)
        let end = firstTokenIndex(startingAtOrAfter: range.upperBound)
        return first..<max(first, end)
    }

    // MARK: Sentences, paragraphs, clauses

    @inlinable
    public func sentenceIndex(ofToken index: Int) -> Int { Int(sentenceOfToken[index]) }

    public func sentence(ofToken index: Int) -> TextSegment { sentences[sentenceIndex(ofToken: index)] }

    public func paragraphIndex(ofToken index: Int) -> Int {
        var low = 0
        var high = paragraphs.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if paragraphs[mid].tokens.lowerBound <= index { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// True when only opening punctuation (quotation marks, brackets, dashes) comes before the
    /// token in its sentence.
    public func isSentenceInitial(token index: Int) -> Bool {
        let start = sentences[sentenceIndex(ofToken: index)].tokens.lowerBound
        var i = start
        while i < index {
            guard tokens[i].kind == .punctuation, SentenceSplitter.isOpener(forms.bytes(Int(tokens[i].form))) else {
                return false
            }
            i += 1
        }
        return true
    }

    /// The tokens of the clause holding `index`: its sentence cut at clause boundaries (the
    /// boundary tokens themselves belong to no clause's inside; a boundary token gets the clause
    /// it closes).
    public func clause(ofToken index: Int) -> Range<Int> {
        let sentence = sentences[sentenceIndex(ofToken: index)].tokens
        // Last boundary before `index`, first at or after it, within the sentence.
        var low = 0
        var high = clauseBoundaries.count
        while low < high {
            let mid = (low + high) / 2
            if clauseBoundaries[mid] < index { low = mid + 1 } else { high = mid }
        }
        var start = sentence.lowerBound
        if low > 0, clauseBoundaries[low - 1] >= sentence.lowerBound { start = clauseBoundaries[low - 1] + 1 }
        var end = sentence.upperBound
        if low < clauseBoundaries.count, clauseBoundaries[low] < sentence.upperBound { end = clauseBoundaries[low] + 1 }
        return start..<end
    }

    // MARK: Arabic

    /// The likely aspect of an Arabic word token (`.unknown` for other tokens).
    public func verbAspect(ofToken index: Int) -> ArabicVerbAspect {
        guard tokens[index].kind == .arabicWord else { return .unknown }
        let range = forms.byteRange(Int(tokens[index].form))
        return forms.storage.withUnsafeBufferPointer { buffer in
            ArabicMorphology.verbAspect(ofNormalized: UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }

    /// The ways an Arabic word token can be read as proclitics + stem, lightest first (the whole
    /// word, which is always a reading, is not listed).
    public func procliticSplits(ofToken index: Int) -> [ProcliticSplit] {
        let token = tokens[index]
        guard token.kind == .arabicWord else { return [] }
        let range = forms.byteRange(Int(token.form))
        var splits: [ArabicMorphology.FormSplit] = []
        let formBytes = Array(forms.storage[range])
        formBytes.withUnsafeBufferPointer { ArabicMorphology.splits(of: $0, into: &splits) }
        return utf8.withUnsafeBufferPointer { text in
            splits.map { split in
                var stem = split.prependArticle ? [ArabicMorphology.alef.0, ArabicMorphology.alef.1,
                                                   ArabicMorphology.lam.0, ArabicMorphology.lam.1] : []
                stem.append(contentsOf: formBytes[split.stemBytes])
                return ProcliticSplit(
                    proclitics: split.proclitics, letterCount: split.letterCount,
                    stem: String(decoding: stem, as: UTF8.self),
                    stemStart: ArabicMorphology.offset(ofLetter: split.letterCount, in: text, range: token.range))
            }
        }
    }
}

/// Normalized forms for code that holds strings: the same normalization the tokenizer applies.
public enum TextNormalizer {
    /// The normalized forms of the tokens of `text`.
    public static func forms(of text: String) -> [String] {
        let analyzed = AnalyzedText(text)
        return analyzed.tokens.indices.map { analyzed.form(ofToken: $0) }
    }

    /// The normalized forms of `text`'s tokens joined by single spaces.
    public static func normalize(_ text: String) -> String { forms(of: text).joined(separator: " ") }

    /// ة → ه: the alternative spelling `Lexicon.Options.foldTaMarbuta` matches.
    public static func foldTaMarbuta(_ form: String) -> String {
        String(String.UnicodeScalarView(form.unicodeScalars.map { $0 == "\u{0629}" ? "\u{0647}" : $0 }))
    }
}

extension AnnotationRequest {
    /// The request's text analyzed once per pipeline run and shared by every module that asks.
    public var analyzed: AnalyzedText {
        shared.value(of: AnalyzedText.self) { AnalyzedText(utf8: utf8) }
    }
}

/// The direct quotations of a run's text, scanned once and shared (the sources module skips
/// attributions inside them; the quotations module annotates them).
public struct ScannedQuotations: Sendable {
    public let all: [Quotation]
}

extension AnnotationRequest {
    public var quotations: [Quotation] {
        shared.value(of: ScannedQuotations.self) { ScannedQuotations(all: QuotationScanner.scan(utf8)) }.all
    }
}
