/// A direct quotation found by `QuotationScanner`. Offsets are UTF-8 bytes of the scanned text.
public struct Quotation: Sendable, Hashable {
    /// From the opening mark to the closing one, marks included (the annotation guide's `quote`
    /// span). An unclosed quotation ends at the last non-space character of its paragraph.
    public var range: Range<Int>
    /// Between the marks. For a quotation over several paragraphs this includes the paragraph
    /// breaks and the opening marks that repeat at the head of each continued paragraph.
    public var contentRange: Range<Int>
    /// The opening mark as written (`“`, `«`, `"`, `„`, ``` `` ```).
    public var openingMark: String
    /// The closing mark as written, or nil when the quotation is never closed.
    public var closingMark: String?
    /// Index, in the scanner's result, of the quotation this one is nested in.
    public var parent: Int?
    /// How many paragraphs the quotation runs over (1 unless continued by the repeated-opening-mark
    /// convention).
    public var paragraphCount: Int
    /// Words inside the marks (letters or digits joined by in-word apostrophes and hyphens).
    public var wordCount: Int

    public init(
        range: Range<Int>, contentRange: Range<Int>, openingMark: String, closingMark: String?,
        parent: Int?, paragraphCount: Int, wordCount: Int
    ) {
        self.range = range
        self.contentRange = contentRange
        self.openingMark = openingMark
        self.closingMark = closingMark
        self.parent = parent
        self.paragraphCount = paragraphCount
        self.wordCount = wordCount
    }

    public var isClosed: Bool { closingMark != nil }
    public var isNested: Bool { parent != nil }
    /// One or two words: the guide's scare quotes (`a "merit system"`) are this short.
    public var isShort: Bool { wordCount <= QuotationScanner.shortQuotationMaxWords }
}

/// Finds direct quotations in one pass over UTF-8 bytes, in every common mark style: curly and
/// straight double and single quotes, guillemets (both directions), German low-high quotes,
/// CJK corner brackets and ``` ``...'' ```.
///
/// Marks that double as something else are decided by what stands on either side, as CommonMark
/// decides emphasis: a straight or right single quote between two letters (`don't`, `l'Orient`,
/// `Ba'ath`) is an apostrophe; a straight quote opens only before a non-space and after a
/// non-letter, and closes only after a non-space and before a non-letter. A quotation in straight
/// single quotes is reported only when it closes within its paragraph, because an unmatched `'` is
/// far more often an apostrophe (`'Ali`, `the ministers'`) than an unclosed quotation.
///
/// A quotation left open at the end of a paragraph continues when the next paragraph starts with
/// the same opening mark (the English convention for quoting several paragraphs); otherwise it
/// ends with its paragraph, so an unbalanced mark never swallows the rest of the document.
/// Paragraphs are lines, as in `Paragraphs`.
public enum QuotationScanner {
    /// Quotations of at most this many words count as short (scare quotes, quoted terms).
    public static let shortQuotationMaxWords = 2

    public static func scan(_ utf8: [UInt8]) -> [Quotation] {
        var scanner = Scan(utf8)
        scanner.run()
        return scanner.finish()
    }

    public static func scan(_ text: String) -> [Quotation] { scan(Array(text.utf8)) }
}

// MARK: - Marks

/// A quotation mark token. `` and '' are two-byte tokens.
enum QuoteMark: Equatable {
    case leftDouble  // “
    case rightDouble  // ”
    case leftSingle  // ‘
    case rightSingle  // ’
    case straightDouble  // "
    case straightSingle  // '
    case leftGuillemet  // «
    case rightGuillemet  // »
    case leftSingleGuillemet  // ‹
    case rightSingleGuillemet  // ›
    case lowDouble  // „
    case lowSingle  // ‚
    case leftCorner  // 「
    case rightCorner  // 」
    case leftWhiteCorner  // 『
    case rightWhiteCorner  // 』
    case doubleBacktick  // ``
    case doubleStraightSingle  // ''

    /// The mark at `offset`, with its length in bytes.
    @inline(__always)
    static func at(_ bytes: [UInt8], _ offset: Int, scalar: Unicode.Scalar) -> (QuoteMark, Int)? {
        switch scalar.value {
        case 0x22: return (.straightDouble, 1)
        case 0x27:
            if offset + 1 < bytes.count && bytes[offset + 1] == 0x27 { return (.doubleStraightSingle, 2) }
            return (.straightSingle, 1)
        case 0x60:
            if offset + 1 < bytes.count && bytes[offset + 1] == 0x60 { return (.doubleBacktick, 2) }
            return nil
        case 0xAB: return (.leftGuillemet, 2)
        case 0xBB: return (.rightGuillemet, 2)
        case 0x2018: return (.leftSingle, 3)
        case 0x2019: return (.rightSingle, 3)
        case 0x201A: return (.lowSingle, 3)
        case 0x201C: return (.leftDouble, 3)
        case 0x201D: return (.rightDouble, 3)
        case 0x201E: return (.lowDouble, 3)
        case 0x2039: return (.leftSingleGuillemet, 3)
        case 0x203A: return (.rightSingleGuillemet, 3)
        case 0x300C: return (.leftCorner, 3)
        case 0x300D: return (.rightCorner, 3)
        case 0x300E: return (.leftWhiteCorner, 3)
        case 0x300F: return (.rightWhiteCorner, 3)
        default: return nil
        }
    }

    /// The mark as written in well-formed UTF-8.
    var text: String {
        switch self {
        case .leftDouble: return "\u{201C}"
        case .rightDouble: return "\u{201D}"
        case .leftSingle: return "\u{2018}"
        case .rightSingle: return "\u{2019}"
        case .straightDouble: return "\""
        case .straightSingle: return "'"
        case .leftGuillemet: return "\u{AB}"
        case .rightGuillemet: return "\u{BB}"
        case .leftSingleGuillemet: return "\u{2039}"
        case .rightSingleGuillemet: return "\u{203A}"
        case .lowDouble: return "\u{201E}"
        case .lowSingle: return "\u{201A}"
        case .leftCorner: return "\u{300C}"
        case .rightCorner: return "\u{300D}"
        case .leftWhiteCorner: return "\u{300E}"
        case .rightWhiteCorner: return "\u{300F}"
        case .doubleBacktick: return "``"
        case .doubleStraightSingle: return "''"
        }
    }

    /// The text of the mark written as `bytes`: `text` when they are its well-formed UTF-8 (a
    /// constant, where decoding the bytes made a string each time), else the bytes decoded (the
    /// scanner also reads over-long forms, which decode otherwise).
    func text(writtenAs bytes: ArraySlice<UInt8>) -> String {
        // Marks are one to three bytes: packed into an integer, the bytes compare in one test
        // (a generic comparison of the two sequences cost more than decoding).
        var packed: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes {
            packed |= UInt32(byte) << shift
            shift &+= 8
        }
        return bytes.count <= 3 && packed == packedUTF8 ? text : String(decoding: bytes, as: UTF8.self)
    }

    /// `text`'s UTF-8 bytes packed into an integer, the first byte lowest.
    var packedUTF8: UInt32 {
        switch self {
        case .leftDouble: return 0x9C80E2
        case .rightDouble: return 0x9D80E2
        case .leftSingle: return 0x9880E2
        case .rightSingle: return 0x9980E2
        case .straightDouble: return 0x22
        case .straightSingle: return 0x27
        case .leftGuillemet: return 0xABC2
        case .rightGuillemet: return 0xBBC2
        case .leftSingleGuillemet: return 0xB980E2
        case .rightSingleGuillemet: return 0xBA80E2
        case .lowDouble: return 0x9E80E2
        case .lowSingle: return 0x9A80E2
        case .leftCorner: return 0x8C80E3
        case .rightCorner: return 0x8D80E3
        case .leftWhiteCorner: return 0x8E80E3
        case .rightWhiteCorner: return 0x8F80E3
        case .doubleBacktick: return 0x6060
        case .doubleStraightSingle: return 0x2727
        }
    }

    /// Marks that, by their shape, only ever open a quotation.
    var isUnambiguousOpener: Bool {
        switch self {
        case .leftDouble, .leftGuillemet, .leftSingleGuillemet, .lowDouble, .lowSingle, .leftCorner,
            .leftWhiteCorner, .doubleBacktick, .leftSingle:
            return true
        default: return false
        }
    }

    /// Marks that may open a quotation only when nothing open takes them as its closer and they
    /// stand before a word: `”...”` (Swedish, and Arabic text typed right to left as `”...“`),
    /// `»...«` (German, Danish), straight quotes.
    var isContextualOpener: Bool {
        switch self {
        case .rightDouble, .rightGuillemet, .rightSingleGuillemet, .straightDouble, .straightSingle,
            .doubleStraightSingle:
            // `''...''`: two apostrophes for double quotes, as some newspapers' archives print them.
            return true
        default: return false
        }
    }

    /// Whether the mark may close a quotation, given what stands on either side of it.
    func canClose(beforeIsSpace: Bool, afterIsWord: Bool) -> Bool {
        switch self {
        case .rightCorner, .rightWhiteCorner:
            // Closers by shape, never anything else.
            return true
        case .rightDouble, .rightGuillemet, .rightSingleGuillemet:
            // Closers by shape that also close after a space (French and Arabic typing puts
            // spaces inside: `« texte »`); only before a word after a space do they look like
            // openers instead.
            return !(beforeIsSpace && afterIsWord)
        default:
            // Straight quotes, apostrophe-shaped `’`, and marks that open in one convention and
            // close in another (`“` closes `„`): after a non-space and before a non-letter.
            return !beforeIsSpace && !afterIsWord
        }
    }

    /// The marks that close a quotation this mark opened.
    func closes(_ closer: QuoteMark) -> Bool {
        switch (self, closer) {
        case (.leftDouble, .rightDouble): return true
        case (.leftSingle, .rightSingle): return true
        case (.straightDouble, .straightDouble): return true
        case (.straightSingle, .straightSingle): return true
        case (.leftGuillemet, .rightGuillemet): return true
        case (.leftSingleGuillemet, .rightSingleGuillemet): return true
        case (.lowDouble, .leftDouble), (.lowDouble, .rightDouble): return true
        case (.lowSingle, .leftSingle), (.lowSingle, .rightSingle): return true
        case (.leftCorner, .rightCorner): return true
        case (.leftWhiteCorner, .rightWhiteCorner): return true
        case (.doubleBacktick, .doubleStraightSingle), (.doubleStraightSingle, .doubleStraightSingle): return true
        case (.rightDouble, .rightDouble), (.rightDouble, .leftDouble): return true
        case (.rightGuillemet, .leftGuillemet): return true
        case (.rightSingleGuillemet, .leftSingleGuillemet): return true
        default: return false
        }
    }
}

// MARK: - The scan

/// The Arabic block (U+0600–U+06FF) as `isWordScalar` and `isSpaceScalar` answer it, made once
/// from those answers: its punctuation (، ؛ ؟) and the letters and marks the fast ranges miss
/// would otherwise ask the Unicode property tables four times each.
private let arabicBlockClass: [UInt8] = (0x0600...0x06FF).map { value in
    let scalar = Unicode.Scalar(UInt32(value))!
    return isWordScalarByProperties(scalar) ? 1 : (scalar.properties.isWhitespace ? 2 : 0)
}

/// Character classes the flanking rules need.
@inline(__always)
private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
        return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
    }
    // Arabic letters, tatweel, harakat and digits (U+0621–U+0669) and the extended letters
    // (U+066E–U+06D3) without the Unicode property tables, which cost a fifth of the scan on
    // Arabic text; the answer is the same as the general test below.
    if (0x0621...0x0669).contains(value) || (0x066E...0x06D3).contains(value) { return true }
    if value &- 0x0600 < 0x100 { return arabicBlockClass[Int(value &- 0x0600)] == 1 }
    return isWordScalarByProperties(scalar)
}

/// Out of line, as the other property-table answers below: inlined, the property types they name
/// made every function that might ask them look up those types' metadata on entry (each mark
/// handled paid it).
@inline(never)
private func isWordScalarByProperties(_ scalar: Unicode.Scalar) -> Bool {
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
}

@inline(__always)
private func isSpaceScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
    if value &- 0x0600 < 0x100 { return arabicBlockClass[Int(value &- 0x0600)] == 2 }
    return isSpaceScalarByProperties(scalar)
}

@inline(never)
private func isSpaceScalarByProperties(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

@inline(__always)
private func isDigitScalar(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return (0x30...0x39).contains(value) }
    return isNumericByProperties(scalar)
}

@inline(never)
private func isNumericByProperties(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.numericType != nil }

/// Whether a byte may start a quotation mark as `UTF8ScalarCursor.decode` reads it: `"` `'` `` ` ``,
/// the lead byte of « » (C2), or any lead byte of a three- or four-byte scalar (E0–FF: the curly
/// quotes, ‹ › and corner brackets, and the over-long forms the decoder accepts).
@inline(__always)
func mayStartQuoteMark(_ byte: UInt8) -> Bool {
    byte == 0x22 || byte == 0x27 || byte == 0x60 || byte == 0xC2 || byte >= 0xE0
}

/// `mayStartQuoteMark` of every byte, 1 or 0.
private let quoteMarkLeadBytes: [UInt8] = (0...255).map { mayStartQuoteMark(UInt8($0)) ? 1 : 0 }

/// The first offset at or after `start` whose byte may start a quotation mark, else `bytes.count`.
/// Outside quotations (most of a text) nothing but the marks matters.
@inline(__always)
func nextQuoteMarkCandidate(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    quoteMarkLeadBytes.withUnsafeBufferPointer { firstFlaggedByte(bytes, from: start, table: $0.baseAddress!) }
}

/// What the word count inside a quotation needs to know of a byte (`quoteByteClasses`).
enum QuoteByteClass {
    /// Anything else: a non-ASCII lead byte, a continuation byte, `"` `'` `` ` `` (which may be
    /// marks). Decoded and tested the general way.
    static let general: UInt8 = 0
    /// ASCII letters and digits.
    static let word: UInt8 = 1
    /// Space, tab, vertical tab, form feed.
    static let space: UInt8 = 2
    /// \n \r.
    static let lineBreak: UInt8 = 3
    /// ASCII that is none of the others: ends a word.
    static let punctuation: UInt8 = 4
    /// `-`: ends a word unless a word scalar follows.
    static let hyphen: UInt8 = 5
    /// D8–DB, the lead bytes of U+0600–U+06FF.
    static let arabicLead: UInt8 = 6

    /// The class of a byte, by the same tests the general way makes of the scalar.
    static func of(_ byte: UInt8) -> UInt8 {
        if byte >= 0x80 { return byte &- 0xD8 < 4 ? arabicLead : general }
        if byte == 0x22 || byte == 0x27 || byte == 0x60 { return general }
        if byte == 0x0A || byte == 0x0D { return lineBreak }
        let scalar = Unicode.Scalar(byte)
        if isWordScalar(scalar) { return word }
        if isSpaceScalar(scalar) { return space }
        return byte == 0x2D ? hyphen : punctuation
    }
}

/// `QuoteByteClass.of` every byte.
let quoteByteClasses: [UInt8] = (0...255).map { QuoteByteClass.of(UInt8($0)) }

private struct Scan {
    struct OpenQuote {
        var index: Int
        var mark: QuoteMark
        var markBytes: Range<Int>
    }

    struct Found {
        var start: Int
        var contentStart: Int
        var end: Int = 0
        var contentEnd: Int = 0
        var openingMark: QuoteMark
        /// Where the closing mark is, and which it is; nil while open or when never closed.
        var closingMarkBytes: Range<Int>? = nil
        var closingMark: QuoteMark? = nil
        var parent: Int?
        var paragraphCount = 1
        var wordsAtOpen: Int
        var wordsAtClose = 0
    }

    let bytes: [UInt8]
    var found: [Found] = []
    var stack: [OpenQuote] = []
    /// Words seen while a quotation is open; a quotation's word count is the difference between its
    /// close and open. Words outside every quotation count for none and are not counted.
    var words = 0
    var inWord = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func scalar(at offset: Int) -> Unicode.Scalar? {
        offset < bytes.count ? UTF8ScalarCursor.decode(bytes, at: offset).0 : nil
    }

    /// The scalar a forward walk (`UTF8ScalarCursor.decode`) meets just before `offset`, which must
    /// start a scalar in that walk; nil at the start. Bytes of a broken sequence are U+FFFD each.
    func scalar(before offset: Int) -> Unicode.Scalar? {
        guard offset > 0 else { return nil }
        // An ASCII byte is a scalar of its own, whatever comes before it.
        if bytes[offset - 1] < 0x80 { return Unicode.Scalar(bytes[offset - 1]) }
        let start = UTF8ScalarCursor.previousBoundary(bytes, before: offset)
        let (scalar, length) = UTF8ScalarCursor.decode(bytes, at: start)
        // A lead byte whose sequence stops short leaves lone continuation bytes before `offset`.
        return start + length == offset ? scalar : "\u{FFFD}"
    }

    /// The end of the last non-space scalar before `offset` (0 when none): where a quotation cut
    /// off there ends. Read back from the text when asked, rather than kept up to date on every
    /// byte of the scan.
    func lastNonSpaceEnd(before offset: Int) -> Int {
        var end = offset
        while end > 0 {
            let byte = bytes[end - 1]
            if byte < 0x80 {
                guard byte == 0x20 || byte &- 0x09 < 5 else { return end }
                end -= 1
                continue
            }
            let start = UTF8ScalarCursor.previousBoundary(bytes, before: end)
            let (scalar, length) = UTF8ScalarCursor.decode(bytes, at: start)
            guard start + length == end, isSpaceScalar(scalar) else { return end }
            end = start
        }
        return 0
    }

    mutating func run() {
        let bytes = self.bytes
        let count = bytes.count
        bytes.withUnsafeBufferPointer { p in
        quoteByteClasses.withUnsafeBufferPointer { classes in
        arabicBlockClass.withUnsafeBufferPointer { arabicBlock in
            // The word count, kept in locals over the bytes between marks and handed to `self` only
            // around a mark or a line break, which read and change it.
            var words = self.words
            var inWord = self.inWord
            /// The class (`arabicBlockClass`) of the two-byte scalar of the Arabic block at `at`, whose
            /// lead byte is D8–DB, or nil when no continuation byte follows.
            @inline(__always) func arabicBlockClass(at at: Int) -> UInt8? {
                guard at + 1 < count else { return nil }
                let second = p[at + 1]
                guard second & 0xC0 == 0x80 else { return nil }
                return arabicBlock[Int(p[at] & 0x03) << 6 | Int(second & 0x3F)]
            }
            /// The end of the run of word scalars from `start` that need no decoding to tell: ASCII
            /// letters and digits, and the word scalars of the Arabic block. The rules below do
            /// nothing inside such a run but count its word once, so it is crossed in one loop.
            @inline(__always) func wordRunEnd(from start: Int) -> Int {
                var end = start
                while end < count {
                    let byteClass = classes[Int(p[end])]
                    if byteClass == QuoteByteClass.word {
                        end += 1
                        continue
                    }
                    if byteClass == QuoteByteClass.arabicLead && arabicBlockClass(at: end) == 1 {
                        end += 2
                        continue
                    }
                    break
                }
                return end
            }
            var offset = 0
            scan: while offset < count {
                // Outside every quotation only a mark can change anything: line breaks end open
                // quotations only, and words count only inside one.
                offset = nextQuoteMarkCandidate(p, from: offset)
                guard offset < count else { break }
                do {
                    let byte = p[offset]
                    let (scalar, length) = byte < 0x80 ? (Unicode.Scalar(byte), 1) : UTF8ScalarCursor.decode(bytes, at: offset)
                    guard let (mark, markLength) = QuoteMark.at(bytes, offset, scalar: scalar) else {
                        offset += length
                        continue scan
                    }
                    self.words = words
                    self.inWord = inWord
                    handle(mark, at: offset, length: markLength)
                    words = self.words
                    inWord = self.inWord
                    offset += markLength
                }
                // Inside a quotation: every byte, to count the words, by the class of its byte.
                if stack.isEmpty { continue scan }
                while offset < count {
                    let byte = p[offset]
                    switch classes[Int(byte)] {
                    case QuoteByteClass.word:
                        if !inWord {
                            words += 1
                            inWord = true
                        }
                        // The rest of the run changes nothing but where it ends.
                        offset = wordRunEnd(from: offset + 1)
                        continue
                    case QuoteByteClass.space, QuoteByteClass.punctuation:
                        inWord = false
                        offset += 1
                        continue
                    case QuoteByteClass.hyphen:
                        // A hyphen inside a word keeps it one word (`merit-based`).
                        if !(inWord && self.scalar(at: offset + 1).map(isWordScalar) == true) { inWord = false }
                        offset += 1
                        continue
                    case QuoteByteClass.lineBreak:
                        inWord = false
                        self.words = words
                        self.inWord = inWord
                        offset = endParagraph(at: offset)
                        words = self.words
                        inWord = self.inWord
                        if stack.isEmpty { continue scan }
                        continue
                    case QuoteByteClass.arabicLead:
                        if let blockClass = arabicBlockClass(at: offset) {
                            if blockClass == 1 {
                                if !inWord {
                                    words += 1
                                    inWord = true
                                }
                                offset = wordRunEnd(from: offset + 2)
                            } else {
                                // White space or punctuation (، ؛ ؟): no mark is in the block.
                                inWord = false
                                offset += 2
                            }
                            continue
                        }
                    default:
                        break
                    }
                    // A possible mark, or a scalar the classes do not tell: the general way.
                    let (scalar, length) = byte < 0x80 ? (Unicode.Scalar(byte), 1) : UTF8ScalarCursor.decode(bytes, at: offset)
                    if let (mark, markLength) = QuoteMark.at(bytes, offset, scalar: scalar) {
                        self.words = words
                        self.inWord = inWord
                        handle(mark, at: offset, length: markLength)
                        words = self.words
                        inWord = self.inWord
                        offset += markLength
                        if stack.isEmpty { continue scan }
                        continue
                    }
                    if isWordScalar(scalar) {
                        if !inWord {
                            words += 1
                            inWord = true
                        }
                    } else if isSpaceScalar(scalar) {
                        inWord = false
                    } else if !(inWord && scalar == "-" && self.scalar(at: offset + 1).map(isWordScalar) == true) {
                        inWord = false
                    }
                    offset += length
                }
            }
            self.words = words
            self.inWord = inWord
        }
        }
        }
        if !stack.isEmpty { endAll(at: lastNonSpaceEnd(before: count)) }
    }

    mutating func handle(_ mark: QuoteMark, at offset: Int, length: Int) {
        // The common apostrophe, between two ASCII letters or digits (`don't`, `Ministry’s`): the
        // answer of the general test below without decoding either side.
        if mark == .straightSingle || mark == .rightSingle || mark == .leftSingle, offset > 0,
            offset + length < bytes.count, quoteByteClasses[Int(bytes[offset - 1])] == QuoteByteClass.word,
            quoteByteClasses[Int(bytes[offset + length])] == QuoteByteClass.word
        {
            return
        }
        let before = scalar(before: offset)
        let after = scalar(at: offset + length)
        let beforeIsWord = before.map(isWordScalar) ?? false
        let afterIsWord = after.map(isWordScalar) ?? false
        let beforeIsSpace = before.map(isSpaceScalar) ?? true
        let afterIsSpace = after.map(isSpaceScalar) ?? true

        // Apostrophes: between two letters (`don't`, `Ministry’s`, `Ba'ath`), or eliding a year
        // (`'90s`, `‘90s`). The word goes on through them.
        if mark == .straightSingle || mark == .rightSingle || mark == .leftSingle {
            if beforeIsWord && afterIsWord { return }
            if after.map(isDigitScalar) == true && !beforeIsWord { return }
        }
        inWord = false

        let leftFlanking = !afterIsSpace && !beforeIsWord
        if mark.canClose(beforeIsSpace: beforeIsSpace, afterIsWord: afterIsWord),
            let depth = stack.lastIndex(where: { $0.mark.closes(mark) })
        {
            close(depth: depth, mark: mark, at: offset, length: length)
            return
        }
        if mark.isUnambiguousOpener || (mark.isContextualOpener && leftFlanking) {
            open(mark, at: offset, length: length)
        }
        // Anything else is a stray closer or an apostrophe (`the ministers'`), not a quotation.
    }

    mutating func open(_ mark: QuoteMark, at offset: Int, length: Int) {
        let index = found.count
        // Room for a text's usual number at the first: grown from one, the arrays were copied
        // four or five times a text.
        if index == 0 {
            found.reserveCapacity(16)
            stack.reserveCapacity(4)
        }
        found.append(Found(
            start: offset, contentStart: offset + length, openingMark: mark,
            parent: stack.last?.index, wordsAtOpen: words))
        stack.append(OpenQuote(index: index, mark: mark, markBytes: offset..<(offset + length)))
    }

    mutating func close(depth: Int, mark: QuoteMark, at offset: Int, length: Int) {
        // Quotations opened inside this one and still open end where it ends, unclosed.
        if stack.count > depth + 1 { end(from: depth + 1, at: lastNonSpaceEnd(before: offset)) }
        let entry = stack.removeLast()
        found[entry.index].contentEnd = offset
        found[entry.index].end = offset + length
        found[entry.index].closingMarkBytes = offset..<(offset + length)
        found[entry.index].closingMark = mark
        found[entry.index].wordsAtClose = words
    }

    /// Ends, unclosed, every open quotation from `depth` up.
    mutating func end(from depth: Int, at end: Int) {
        while stack.count > depth {
            let entry = stack.removeLast()
            let contentStart = found[entry.index].contentStart
            found[entry.index].end = max(end, contentStart)
            found[entry.index].contentEnd = max(end, contentStart)
            found[entry.index].wordsAtClose = words
        }
    }

    mutating func endAll(at end: Int) { self.end(from: 0, at: end) }

    /// At a line break with quotations open: they go on into the next paragraph if it starts with
    /// their opening marks again (outermost first); the rest end here. Returns where to resume.
    mutating func endParagraph(at lineBreak: Int) -> Int {
        var next = lineBreak
        while next < bytes.count {
            let (scalar, length) = UTF8ScalarCursor.decode(bytes, at: next)
            guard isSpaceScalar(scalar) else { break }
            next += length
        }
        var continued = 0
        var resume = next
        while continued < stack.count {
            let mark = stack[continued].markBytes
            let markLength = mark.count
            guard stack[continued].mark != .straightSingle, resume + markLength <= bytes.count,
                bytes[resume..<(resume + markLength)].elementsEqual(bytes[mark])
            else { break }
            resume += markLength
            continued += 1
        }
        if continued < stack.count { end(from: continued, at: lastNonSpaceEnd(before: lineBreak)) }
        if continued == 0 { return lineBreak + 1 }
        for entry in stack { found[entry.index].paragraphCount += 1 }
        return resume
    }

    /// Drops what is not a quotation after all, and renumbers parents to the kept ones.
    func finish() -> [Quotation] {
        var newIndex = [Int?](repeating: nil, count: found.count)
        var result: [Quotation] = []
        result.reserveCapacity(found.count)
        for (index, quote) in found.enumerated() {
            let wordCount = quote.wordsAtClose - quote.wordsAtOpen
            let closed = quote.closingMarkBytes != nil
            // Nothing quoted (`“”`, a stray `«` at a paragraph's end) is no quotation; an unclosed
            // straight single quote is most likely an apostrophe.
            if wordCount == 0 || (!closed && quote.openingMark == .straightSingle) { continue }
            var parent = quote.parent
            while let p = parent, newIndex[p] == nil { parent = found[p].parent }
            newIndex[index] = result.count
            result.append(Quotation(
                range: quote.start..<quote.end, contentRange: quote.contentStart..<quote.contentEnd,
                openingMark: quote.openingMark.text(writtenAs: bytes[quote.start..<quote.contentStart]),
                closingMark: quote.closingMarkBytes.map { quote.closingMark!.text(writtenAs: bytes[$0]) },
                parent: parent.flatMap { newIndex[$0] }, paragraphCount: quote.paragraphCount,
                wordCount: wordCount))
        }
        return result
    }
}
