/// What one Unicode scalar is to the tokenizer.
///
/// The tokenizer asks this for every scalar of every document, so the common cases (ASCII, the
/// Arabic block, Latin-1, general punctuation) are answered by tables and ranges; only scalars from
/// other scripts fall back to `Unicode.Scalar.Properties`, which is exact but slow.
@usableFromInline
enum ScalarClass: UInt8, Sendable {
    /// A letter of a non-Arabic script (Latin with its accents, Greek, Cyrillic, CJK ...).
    case letter
    /// An Arabic-script letter.
    case arabicLetter
    /// Arabic harakat, tanween, shadda, sukun, superscript alef, Quranic marks, and tatweel: part
    /// of an Arabic word, dropped from its normalized form.
    case arabicMark
    /// A combining mark outside the Arabic block (accents written as separate scalars, variation
    /// selectors, emoji skin tones): belongs to the token before it.
    case mark
    /// A decimal digit: ASCII, Arabic-Indic (٠-٩) or Extended Arabic-Indic (۰-۹).
    case digit
    /// ' ’ ʼ: an apostrophe inside a word, a quotation mark elsewhere.
    case apostrophe
    /// - ‐ ‑: a hyphen inside a word, punctuation elsewhere.
    case hyphen
    /// The full stop: a sentence end, an abbreviation's dot, an acronym's dot, a decimal point.
    case period
    /// , and ٫ ٬: separators inside numbers, punctuation elsewhere.
    case numberSeparator
    /// % ٪ ‰ after a number.
    case percent
    case punctuation
    case symbol
    case whitespace
    /// \n \r U+2028 U+2029: every line break ends a paragraph (see `Paragraphs`).
    case newline
    /// ZWJ, ZWNJ, soft hyphen: kept inside a word (or an emoji sequence), dropped from forms.
    case joiner
    /// Direction marks, BOM and other format characters: invisible, and they separate tokens.
    case format
}

@usableFromInline
enum Scalars {
    /// The class of each ASCII byte, as `asciiClassBySwitch` gives it (a test checks all 128), by
    /// raw value. A static string, not an array: a constant in the binary, with no lazy
    /// initialization to check and nothing to retain; and a load, where the switch was a call
    /// the optimizer would not inline.
    @usableFromInline
    static let asciiTable: StaticString = "\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{C}\u{D}\u{C}\u{C}\u{D}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{F}\u{C}\u{A}\u{A}\u{A}\u{B}\u{9}\u{A}\u{5}\u{A}\u{A}\u{A}\u{B}\u{8}\u{6}\u{7}\u{A}\u{4}\u{4}\u{4}\u{4}\u{4}\u{4}\u{4}\u{4}\u{4}\u{4}\u{A}\u{A}\u{B}\u{B}\u{B}\u{A}\u{A}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{A}\u{A}\u{A}\u{B}\u{A}\u{A}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{A}\u{B}\u{A}\u{B}\u{F}"

    /// Classes of the ASCII range (`b` below 0x80).
    @inline(__always)
    @usableFromInline
    static func asciiClass(_ b: UInt8) -> ScalarClass {
        unsafeBitCast(asciiTable.utf8Start[Int(b & 0x7F)], to: ScalarClass.self)
    }

    /// Classes of the ASCII range, spelled out: what `asciiTable` encodes.
    static func asciiClassBySwitch(_ b: UInt8) -> ScalarClass {
        if (b | 0x20) &- 0x61 < 26 { return .letter }
        if b &- 0x30 < 10 { return .digit }
        switch b {
        case 0x20, 0x09, 0x0B, 0x0C: return .whitespace
        case 0x0A, 0x0D: return .newline
        case UInt8(ascii: "'"): return .apostrophe
        case UInt8(ascii: "-"): return .hyphen
        case UInt8(ascii: "."): return .period
        case UInt8(ascii: ","): return .numberSeparator
        case UInt8(ascii: "%"): return .percent
        case UInt8(ascii: "!"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
            UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "?"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "@"), UInt8(ascii: "\\"),
            UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "`"):
            return .punctuation
        case 0..<0x20, 0x7F: return .format
        default: return .symbol  // $ + < = > ^ | ~
        }
    }

    @inline(__always)
    @usableFromInline
    static func classify(_ v: UInt32) -> ScalarClass {
        if v < 0x80 { return asciiClass(UInt8(v)) }
        if v >= 0x0600 && v <= 0x06FF { return arabicBlock(v) }
        if v < 0x0250 {
            switch v {
            case 0xA0: return .whitespace
            case 0xAD: return .joiner
            case 0xAA, 0xB5, 0xBA: return .letter
            case 0xAB, 0xBB, 0xA1, 0xBF, 0xA7, 0xB6, 0xB7: return .punctuation
            case 0xD7, 0xF7: return .symbol
            case 0x85: return .newline
            case 0x80..<0xA0: return .format
            case 0xC0...: return .letter
            default: return .symbol  // currency, ©, °, ...
            }
        }
        if v >= 0x2000 && v <= 0x206F { return generalPunctuation(v) }
        switch v {
        case 0x02BC: return .apostrophe
        case 0x0250...0x02FF: return .letter  // IPA, modifier letters
        case 0x0300...0x036F: return .mark
        case 0x0370...0x03FF: return (v == 0x037E || v == 0x0387) ? .punctuation : .letter
        case 0x0400...0x052F: return (0x0483...0x0489).contains(v) ? .mark : .letter
        case 0x0750...0x077F: return .arabicLetter
        case 0x0870...0x0887, 0x0889...0x088E, 0x08A0...0x08C9: return .arabicLetter
        case 0x0898...0x089F, 0x08CA...0x08E1, 0x08E3...0x08FF: return .arabicMark
        case 0x1E00...0x1FFF: return .letter  // Latin Extended Additional, Greek Extended
        case 0x20A0...0x20CF: return .symbol
        case 0x20D0...0x20FF: return .mark
        case 0x3000: return .whitespace
        case 0xFB50...0xFDFF:
            if v == 0xFD3E || v == 0xFD3F { return .punctuation }
            if v >= 0xFDFC { return .symbol }
            return .arabicLetter
        case 0xFE00...0xFE0F: return .mark  // variation selectors
        case 0xFE70...0xFE7F: return .arabicMark
        case 0xFE80...0xFEFC: return .arabicLetter
        case 0xFEFF: return .format
        case 0x1F3FB...0x1F3FF: return .mark  // emoji skin tones
        case 0xE0020...0xE007F: return .mark  // emoji tag sequences
        default: return fallback(v)
        }
    }

    @inline(__always)
    static func arabicBlock(_ v: UInt32) -> ScalarClass {
        switch v {
        case 0x0621...0x063F, 0x0641...0x064A, 0x066E, 0x066F, 0x0671...0x06D3, 0x06D5, 0x06E5, 0x06E6,
            0x06EE, 0x06EF, 0x06FA...0x06FC, 0x06FF:
            return .arabicLetter
        case 0x0640, 0x064B...0x065F, 0x0670, 0x0610...0x061A, 0x06D6...0x06DC, 0x06DF...0x06E4, 0x06E7, 0x06E8,
            0x06EA...0x06ED:
            return .arabicMark
        case 0x0660...0x0669, 0x06F0...0x06F9: return .digit
        case 0x066B, 0x066C: return .numberSeparator
        case 0x066A: return .percent
        case 0x060C, 0x060D, 0x061B, 0x061D, 0x061E, 0x061F, 0x066D, 0x06D4: return .punctuation
        case 0x061C: return .format
        default: return .symbol
        }
    }

    @inline(__always)
    static func generalPunctuation(_ v: UInt32) -> ScalarClass {
        switch v {
        case 0x2000...0x200A, 0x202F, 0x205F: return .whitespace
        case 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x206F: return .format
        case 0x200C, 0x200D: return .joiner
        case 0x2010, 0x2011: return .hyphen
        case 0x2019: return .apostrophe
        case 0x2028, 0x2029: return .newline
        case 0x2030, 0x2031: return .percent
        default: return .punctuation  // dashes, quotes ‘ “ ” „ ‹ ›, bullets, …
        }
    }

    /// Other scripts: exact, through the Unicode properties.
    static func fallback(_ v: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(v) else { return .symbol }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber: return .digit
        case .spaceSeparator: return .whitespace
        case .lineSeparator, .paragraphSeparator: return .newline
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return .punctuation
        case .format: return .format
        default: return .symbol
        }
    }

    // MARK: Arabic letters the normalizer cares about

    static let alef: UInt32 = 0x0627
    static let yeh: UInt32 = 0x064A
    static let waw: UInt32 = 0x0648
    static let feh: UInt32 = 0x0641
    static let beh: UInt32 = 0x0628
    static let lam: UInt32 = 0x0644
    static let kaf: UInt32 = 0x0643
    static let teh: UInt32 = 0x062A
    static let noon: UInt32 = 0x0646
    static let seen: UInt32 = 0x0633
    static let meem: UInt32 = 0x0645
    static let tehMarbuta: UInt32 = 0x0629
    static let heh: UInt32 = 0x0647
    static let tatweel: UInt32 = 0x0640
}
