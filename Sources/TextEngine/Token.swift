/// What kind of text a token is.
public enum TokenKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Letters of a non-Arabic script, with internal apostrophes and hyphens (`don't`, `al-Assad`)
    /// and dotted acronyms (`U.S.`, `e.g.`); digits after the first letter (`G7`, `COVID-19`).
    case word
    /// Arabic letters with their diacritics and tatweel.
    case arabicWord
    /// Digits (ASCII, ٠-٩, ۰-۹) with internal , . ٫ ٬, an optional % ٪ ‰, and a Latin suffix
    /// written solid (`1990s`, `3rd`, `10km`).
    case number
    /// Punctuation, including Arabic ، ؛ ؟ and every quotation mark. A run of full stops (`...`)
    /// is one token.
    case punctuation
    /// Everything else that is visible: currency signs, emoji (with their modifiers and ZWJ
    /// sequences), mathematical signs.
    case symbol

    public var description: String {
        switch self {
        case .word: return "word"
        case .arabicWord: return "arabicWord"
        case .number: return "number"
        case .punctuation: return "punctuation"
        case .symbol: return "symbol"
        }
    }

    /// Word or Arabic word.
    @inline(__always)
    public var isWord: Bool { self == .word || self == .arabicWord }
}

/// Facts about a token's surface that normalization folds away.
public struct TokenFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The first letter is an uppercase (or titlecase) letter.
    public static let capitalized = TokenFlags(rawValue: 1 << 0)
    /// Two or more letters, all uppercase (`US`, `NATO`).
    public static let allCaps = TokenFlags(rawValue: 1 << 1)
    /// White space (or the start of the text) comes right before the token.
    public static let spaceBefore = TokenFlags(rawValue: 1 << 2)
    /// The token is the first of a paragraph.
    public static let paragraphStart = TokenFlags(rawValue: 1 << 3)
    /// Arabic diacritics (harakat, tanween, shadda, superscript alef) were dropped from the form.
    public static let hadDiacritics = TokenFlags(rawValue: 1 << 4)
    /// Tatweel was dropped from the form.
    public static let hadTatweel = TokenFlags(rawValue: 1 << 5)
}

/// One token: a UTF-8 byte range of the original text and the id of its normalized form in the
/// `AnalyzedText`'s form table. 16 bytes, no references, so arrays of tokens are cheap to build
/// and to scan.
public struct Token: Sendable, Hashable {
    @usableFromInline let startOffset: Int32
    @usableFromInline let endOffset: Int32
    /// Id of the normalized form in `AnalyzedText.forms`.
    public let form: Int32
    public let kind: TokenKind
    public let flags: TokenFlags

    @inlinable
    init(start: Int, end: Int, form: Int32, kind: TokenKind, flags: TokenFlags) {
        self.startOffset = Int32(truncatingIfNeeded: start)
        self.endOffset = Int32(truncatingIfNeeded: end)
        self.form = form
        self.kind = kind
        self.flags = flags
    }

    /// UTF-8 offset of the token's first byte in the original text.
    @inlinable public var start: Int { Int(startOffset) }
    /// UTF-8 offset just past the token.
    @inlinable public var end: Int { Int(endOffset) }
    @inlinable public var range: Range<Int> { Int(startOffset)..<Int(endOffset) }
}
