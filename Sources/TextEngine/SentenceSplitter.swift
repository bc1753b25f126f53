/// Sentence, paragraph and clause segmentation over tokens.
///
/// Sentences end at . ! ? ؟ ۔ and at every paragraph break. A full stop does not end one after a
/// title or month abbreviation (Mr. Gen. Sen. Jan. St. vs.), after an initial (J. Smith, the Arabic
/// د. for "Dr."), after `No.` before a number, or when a lowercase word follows (an abbreviation the
/// list does not know). Company and list abbreviations (Inc. Corp. Ltd. Jr. etc.) and dotted
/// acronyms (U.S. U.N.) end a sentence only when what follows looks like a sentence start. Decimal
/// numbers never reach here as full stops (the tokenizer keeps `3.5` whole). Closing quotation
/// marks and brackets written right after the terminator belong to the sentence they close.
/// Arabic ، and ؛ (like , ; :) separate clauses, not sentences.
struct SentenceSplitter {
    struct Result {
        var sentences: [TextSegment] = []
        var paragraphs: [TextSegment] = []
        var clauseBoundaries: [Int] = []
        var sentenceOfToken: [Int32] = []
    }

    enum Abbreviation {
        /// Never ends a sentence (titles, months, vs.).
        case title
        /// Ends a sentence only before something that starts one (Inc., etc., Jr.).
        case mayEnd
        /// `No.` is "number" before a number.
        case number
        /// e.g., i.e.: never end.
        case exempli
    }

    static let titles = [
        "mr", "mrs", "ms", "messrs", "dr", "gen", "sen", "rep", "reps", "gov", "st", "prof", "lt", "col", "capt", "cpt",
        "sgt", "adm", "maj", "rev", "hon", "mt", "ave", "brig", "cmdr", "supt", "pres", "amb", "fig", "vs", "v",
        "approx", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "gens", "sens", "govs",
    ]
    static let mayEnd = ["inc", "corp", "co", "ltd", "llc", "plc", "jr", "sr", "etc", "bros", "al", "cos", "a.m.", "p.m."]
    static let exempli = ["e.g.", "i.e.", "cf"]
    /// Words that start sentences; after a dotted acronym (`in the U.S. The ...`) one of these
    /// decides that the full stop also ended the sentence.
    static let starters = [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "in", "on", "at", "this", "that",
        "these", "those", "there", "his", "her", "their", "its", "after", "before", "when", "while", "however",
        "meanwhile", "according", "if", "as", "for", "last", "earlier",
    ]

    let tokens: [Token]
    let forms: FormTable
    /// What each form of the text is to the splitter, by form id: the clause-separator, closer,
    /// terminator and final-dot bits (`FormFlag`; the abbreviation kinds and the starter bit are
    /// `wordFlags`'). Array lookups, not sets and dictionaries hashed for every punctuation
    /// token, and one lookup per token decides whether the token can end a sentence at all.
    var formFlags: [UInt8]
    // Ids of the punctuation forms that matter here (-1 when the text has none).
    let period: Int32, exclamation: Int32, question: Int32, arabicQuestion: Int32, urduStop: Int32

    enum FormFlag {
        static let kindMask: UInt8 = 0x07
        static let title: UInt8 = 1
        static let mayEnd: UInt8 = 2
        static let number: UInt8 = 3
        static let exempli: UInt8 = 4
        static let starter: UInt8 = 1 << 3
        static let clauseSeparator: UInt8 = 1 << 4
        static let closer: UInt8 = 1 << 5
        /// . ! ? ؟ ۔ and runs of full stops (an ellipsis).
        static let terminator: UInt8 = 1 << 6
        /// The form ends in a full stop (a dotted acronym's, when the token is a word).
        static let finalDot: UInt8 = 1 << 7
    }

    /// The marks looked up in every text, with their hashes: their bits are read for every
    /// punctuation token.
    static let lookups: [(bytes: [UInt8], hash: UInt32, kind: UInt8, bits: UInt8)] = {
        var result: [(bytes: [UInt8], hash: UInt32, kind: UInt8, bits: UInt8)] = []
        func add(_ words: [String], kind: UInt8, bits: UInt8) {
            for word in words {
                let bytes = Array(word.utf8)
                result.append((bytes, bytes.withUnsafeBufferPointer(FormTable.hash), kind, bits))
            }
        }
        add([",", "،", ";", "؛", ":"], kind: 0, bits: FormFlag.clauseSeparator)
        add(["\u{201D}", "'", "\"", "\u{BB}", ")", "]", "\u{203A}"], kind: 0, bits: FormFlag.closer)
        return result
    }()

    /// The abbreviations and sentence starters, as a table of their own with each word's kind
    /// and starter bit (a later abbreviation kind replaces an earlier one, as `no` would). Asked
    /// only about the words next to a full stop (`wordFlags`), a few dozen a text: probing the
    /// text's forms for all of them, a hundred lookups a text, mostly missing, cost more.
    static let words: (forms: FormTable, flags: [UInt8]) = {
        var forms = FormTable(capacity: 128)
        var flags: [UInt8] = []
        func add(_ words: [String], kind: UInt8, bits: UInt8) {
            for word in words {
                let id = forms.intern(word)
                if id == flags.count { flags.append(0) }
                if kind != 0 { flags[id] = flags[id] & ~FormFlag.kindMask | kind }
                flags[id] |= bits
            }
        }
        add(titles, kind: FormFlag.title, bits: 0)
        add(mayEnd, kind: FormFlag.mayEnd, bits: 0)
        add(exempli, kind: FormFlag.exempli, bits: 0)
        add(["no"], kind: FormFlag.number, bits: 0)
        add(starters, kind: 0, bits: FormFlag.starter)
        return (forms, flags)
    }()

    /// The abbreviation kind and starter bit of form `form` of the text (0 for other words).
    @inline(__always)
    func wordFlags(_ form: Int32) -> UInt8 {
        guard let id = words.forms.find(formOf: Int(form), in: forms) else { return 0 }
        return words.flags[id]
    }
    /// `Self.words`, fetched once per text rather than through its lazy global's check per call.
    let words = Self.words

    /// The terminators looked up by id, with their hashes.
    static let terminators: [(bytes: [UInt8], hash: UInt32)] = [".", "!", "?", "؟", "۔"].map { word in
        let bytes = Array(word.utf8)
        return (bytes, bytes.withUnsafeBufferPointer(FormTable.hash))
    }

    init(tokens: [Token], forms: FormTable) {
        self.tokens = tokens
        self.forms = forms
        let count = forms.count
        let (ids, flags) = forms.withProbe { probe -> ([Int32], [UInt8]) in
            let ids = Self.terminators.map { word in word.bytes.withUnsafeBufferPointer { probe.find($0, hash: word.hash) } }
            let flags = [UInt8](unsafeUninitializedCapacity: count) { flags, initialized in
                // The final-dot and terminator bits from each form's bytes: a form that ends in a
                // full stop is a dotted acronym, or a run of full stops (one is `.`, more an ellipsis).
                for f in 0..<count {
                    let start = Int(probe.starts[f])
                    let end = Int(probe.starts[f &+ 1])
                    var bits: UInt8 = 0
                    if end > start && probe.storage[end &- 1] == UInt8(ascii: ".") {
                        bits = FormFlag.finalDot
                        if Self.isRunOfFullStops(UnsafeBufferPointer(rebasing: probe.storage[start..<end])) {
                            bits |= FormFlag.terminator
                        }
                    }
                    flags[f] = bits
                }
                initialized = count
                for id in ids where id >= 0 { flags[Int(id)] |= FormFlag.terminator }
                for lookup in Self.lookups {
                    let f = lookup.bytes.withUnsafeBufferPointer { probe.find($0, hash: lookup.hash) }
                    guard f >= 0 else { continue }
                    if lookup.kind != 0 { flags[Int(f)] = flags[Int(f)] & ~FormFlag.kindMask | lookup.kind }
                    flags[Int(f)] |= lookup.bits
                }
            }
            return (ids, flags)
        }
        period = ids[0]
        exclamation = ids[1]
        question = ids[2]
        arabicQuestion = ids[3]
        urduStop = ids[4]
        formFlags = flags
    }

    /// One full stop or more, and nothing else.
    static func isRunOfFullStops(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte != UInt8(ascii: ".") { return false }
        return true
    }

    @inline(__always)
    func abbreviation(_ form: Int32) -> Abbreviation? {
        switch wordFlags(form) & FormFlag.kindMask {
        case FormFlag.title: return .title
        case FormFlag.mayEnd: return .mayEnd
        case FormFlag.number: return .number
        case FormFlag.exempli: return .exempli
        default: return nil
        }
    }

    /// Opening punctuation: what may stand before a sentence's first word.
    /// “ ‘ « ‹ „ " ' ( [ — – -, told by their bytes: matched as array patterns, every call built a
    /// dozen arrays.
    static func isOpener(_ form: ArraySlice<UInt8>) -> Bool {
        switch form.count {
        case 1:
            let b = form[form.startIndex]
            return b == 0x22 || b == 0x27 || b == 0x28 || b == 0x5B || b == 0x2D  // " ' ( [ -
        case 2:
            return form[form.startIndex] == 0xC2 && form[form.startIndex + 1] == 0xAB  // «
        case 3:
            guard form[form.startIndex] == 0xE2 && form[form.startIndex + 1] == 0x80 else { return false }
            switch form[form.startIndex + 2] {
            case 0x9C, 0x98, 0xB9, 0x9E, 0x94, 0x93: return true  // “ ‘ ‹ „ — –
            default: return false
            }
        default:
            return false
        }
    }

    @inline(__always)
    func isEllipsis(_ form: Int32) -> Bool {
        let range = forms.byteRange(Int(form))
        guard range.count >= 2, forms.storage[range.lowerBound] == UInt8(ascii: ".") else { return false }
        for i in range where forms.storage[i] != UInt8(ascii: ".") { return false }
        return true
    }

    func split() -> Result {
        var result = Result()
        let count = tokens.count
        // News prose: about 25 tokens a sentence, 60 a paragraph, 15 a clause.
        result.sentences.reserveCapacity(count / 16 + 1)
        result.paragraphs.reserveCapacity(count / 32 + 1)
        result.clauseBoundaries.reserveCapacity(count / 8 + 1)
        let sentenceOfToken = [Int32](unsafeUninitializedCapacity: count) { sentenceOfToken, initialized in
            tokens.withUnsafeBufferPointer { tokens in
                formFlags.withUnsafeBufferPointer { formFlags in
                    split(tokens, formFlags, into: &result, sentenceOfToken: sentenceOfToken)
                }
            }
            // Every token is in the sentence that the last `closeSentence` (up to `count`) closed.
            initialized = count
        }
        result.sentenceOfToken = sentenceOfToken
        return result
    }

    /// `split` over raw buffers: a token costs a load of its flags byte, not bounds-checked
    /// accesses to three arrays.
    private func split(_ tokens: UnsafeBufferPointer<Token>, _ formFlags: UnsafeBufferPointer<UInt8>,
                       into result: inout Result, sentenceOfToken: UnsafeMutableBufferPointer<Int32>) {
        let count = tokens.count
        var sentenceStart = 0
        var paragraphStart = 0

        func closeSentence(_ end: Int) {
            guard end > sentenceStart else { return }
            let index = Int32(result.sentences.count)
            result.sentences.append(TextSegment(tokens: sentenceStart..<end,
                                                bytes: tokens[sentenceStart].start..<tokens[end - 1].end))
            for t in sentenceStart..<end { sentenceOfToken[t] = index }
            sentenceStart = end
        }
        func closeParagraph(_ end: Int) {
            guard end > paragraphStart else { return }
            result.paragraphs.append(TextSegment(tokens: paragraphStart..<end,
                                                 bytes: tokens[paragraphStart].start..<tokens[end - 1].end))
            paragraphStart = end
        }

        // A token whose form has none of these bits is neither a clause boundary nor a possible
        // sentence end, whatever its kind: most tokens (words without a final dot, most
        // punctuation) are passed over on one test, before their kind is read.
        let mayMatter = FormFlag.clauseSeparator | FormFlag.terminator | FormFlag.finalDot
        var k = 0
        while k < count {
            let token = tokens[k]
            // (At the first token both closes are no-ops: nothing is open yet.)
            if token.flags.contains(.paragraphStart) {
                closeSentence(k)
                closeParagraph(k)
            }
            let bits = formFlags[Int(token.form)]
            guard bits & mayMatter != 0 else {
                k &+= 1
                continue
            }
            var terminator = false
            if token.kind == .punctuation {
                if bits & FormFlag.clauseSeparator != 0 { result.clauseBoundaries.append(k) }
                terminator = bits & FormFlag.terminator != 0
            }
            // A terminator, or a dotted acronym: a word whose form ends in a full stop.
            guard terminator || (token.kind == .word && bits & FormFlag.finalDot != 0) else {
                k += 1
                continue
            }
            // The terminator group: more terminators (?! ...) and closing marks written solid.
            var end = k + 1
            while end < count {
                let t = tokens[end]
                guard !t.flags.contains(.paragraphStart), !t.flags.contains(.spaceBefore), t.kind == .punctuation,
                      formFlags[Int(t.form)] & (FormFlag.terminator | FormFlag.closer) != 0
                else { break }
                end += 1
            }
            let next = end < count && !tokens[end].flags.contains(.paragraphStart) ? end : nil
            if endsSentence(at: k, terminator: terminator, next: next) {
                closeSentence(end)
                k = end
            } else {
                k += 1
            }
        }
        closeSentence(count)
        closeParagraph(count)
    }

    /// Whether the terminator (or dotted acronym) at `k` ends its sentence, given the token that
    /// would start the next one (nil at a paragraph's end).
    func endsSentence(at k: Int, terminator: Bool, next: Int?) -> Bool {
        guard let next else { return true }
        let token = tokens[k]
        let following = tokens[next]
        let nextIsLowercaseWord = following.kind == .word && !following.flags.contains(.capitalized)
        let nextStartsSentence = following.kind == .arabicWord
            || (following.kind == .word && following.flags.contains(.capitalized))
            || (following.kind == .punctuation && Self.isOpener(forms.bytes(Int(following.form))))
        if !terminator {
            // A dotted acronym whose last dot may also be the full stop.
            switch abbreviation(token.form) {
            case .exempli, .title: return false
            case .mayEnd: return nextStartsSentence && !nextIsLowercaseWord
            default: return following.kind == .word && wordFlags(following.form) & FormFlag.starter != 0
            }
        }
        let form = token.form
        if form == arabicQuestion || form == urduStop { return true }
        if form == exclamation || form == question { return !nextIsLowercaseWord }
        if isEllipsis(form) {
            // Arabic prose uses ... inside sentences; in Latin script a capital after it starts anew.
            return following.kind == .word && following.flags.contains(.capitalized)
        }
        // The full stop.
        if nextIsLowercaseWord { return false }
        guard k > 0, !token.flags.contains(.spaceBefore) else { return true }
        let previous = tokens[k - 1]
        if previous.kind == .word {
            switch abbreviation(previous.form) {
            case .title, .exempli: return false
            case .number: return following.kind != .number
            case .mayEnd: return nextStartsSentence
            case nil: break
            }
            // An initial: one capital letter.
            if previous.flags.contains(.capitalized) && isSingleScalar(previous) { return false }
        } else if previous.kind == .arabicWord && forms.byteRange(Int(previous.form)).count == 2 {
            return false  // د. م. : Arabic abbreviations are one letter and a dot.
        }
        return true
    }

    func isSingleScalar(_ token: Token) -> Bool {
        let length = token.end - token.start
        guard length <= 4 && forms.byteRange(Int(token.form)).count <= 4 else { return false }
        var scalars = 0
        for byte in forms.bytes(Int(token.form)) where byte & 0xC0 != 0x80 { scalars += 1 }
        return scalars == 1
    }
}
