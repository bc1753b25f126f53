/// Arabic proclitics: the one-letter conjunctions and prepositions and the article that Arabic
/// writes glued to the next word (`وبحسب` = و + بحسب, `للمحللين` = ل + ال + محللين).
public struct Proclitics: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// و "and"
    public static let wa = Proclitics(rawValue: 1 << 0)
    /// ف "so, then"
    public static let fa = Proclitics(rawValue: 1 << 1)
    /// ب "by, with, in"
    public static let bi = Proclitics(rawValue: 1 << 2)
    /// ل "for, to"
    public static let li = Proclitics(rawValue: 1 << 3)
    /// ك "like, as"
    public static let ka = Proclitics(rawValue: 1 << 4)
    /// ال the definite article
    public static let al = Proclitics(rawValue: 1 << 5)

    public static let none: Proclitics = []
    public static let conjunctions: Proclitics = [.wa, .fa]
    public static let prepositions: Proclitics = [.bi, .li, .ka]
    public static let all: Proclitics = [.wa, .fa, .bi, .li, .ka, .al]

    /// The proclitics in writing order, as Arabic (`و+ب+ال`).
    public var description: String {
        var parts: [String] = []
        if contains(.wa) { parts.append("و") }
        if contains(.fa) { parts.append("ف") }
        if contains(.bi) { parts.append("ب") }
        if contains(.li) { parts.append("ل") }
        if contains(.ka) { parts.append("ك") }
        if contains(.al) { parts.append("ال") }
        return parts.isEmpty ? "∅" : parts.joined(separator: "+")
    }
}

/// One way to read a word as proclitics + stem.
public struct ProcliticSplit: Sendable, Hashable {
    /// What was stripped.
    public let proclitics: Proclitics
    /// How many letters of the normalized word the proclitics take (`لل` of ل+ال is 2).
    public let letterCount: Int
    /// The normalized stem. When ل+ال is written `لل`, the split that keeps the article has the
    /// stem `ال...` (`للمتحدث` → ل + `المتحدث`): a form the text does not spell out.
    public let stem: String
    /// UTF-8 offset in the original text where the stem's first letter starts (diacritics on the
    /// proclitic stay with the proclitic).
    public let stemStart: Int
}

/// How an Arabic verb is likely conjugated.
public enum ArabicVerbAspect: UInt8, Sendable, Hashable {
    /// Prefix conjugation (يكون، تكون، يمكن، نعمل، سيكون): after `قد` it means "may".
    case imperfect
    /// Suffix conjugation (قال، تمّ، أعلن، ذكرت): after `قد` it means "has / indeed".
    case perfect
    /// Not a verb by its shape (a noun with the article, a two-letter particle, a non-Arabic token).
    case unknown
}

/// Shape-based Arabic morphology over normalized forms: no dictionary, so every answer is a
/// likelihood the lexicon and its context conditions confirm.
public enum ArabicMorphology {
    // Normalized letters as their two UTF-8 bytes (every Arabic letter of the U+0600 block is two).
    static let waw: (UInt8, UInt8) = (0xD9, 0x88)
    static let feh: (UInt8, UInt8) = (0xD9, 0x81)
    static let beh: (UInt8, UInt8) = (0xD8, 0xA8)
    static let lam: (UInt8, UInt8) = (0xD9, 0x84)
    static let kaf: (UInt8, UInt8) = (0xD9, 0x83)
    static let alef: (UInt8, UInt8) = (0xD8, 0xA7)

    /// A proclitic combination as its written letters.
    struct Prefix {
        let letters: [(UInt8, UInt8)]
        let proclitics: Proclitics
        /// For ل+ال written `لل`: the alternative reading that keeps the article on the stem.
        let elidedArticle: Bool
        /// Only conjunctions: the stem may be short (`وقد` = و + قد).
        var minimumStem: Int { proclitics.isSubset(of: .conjunctions) ? 2 : 3 }
    }

    /// Every combination conjunction? preposition? article?, fewest letters first: the matcher
    /// tries them in this order, so the lightest reading that the lexicon knows wins (`وبحسب` is
    /// و + `بحسب` when the lexicon has `بحسب`, before و + ب + `حسب`).
    static let prefixes: [Prefix] = {
        var result: [Prefix] = []
        let conjunctions: [((UInt8, UInt8)?, Proclitics)] = [(nil, []), (waw, .wa), (feh, .fa)]
        let prepositions: [((UInt8, UInt8)?, Proclitics)] = [(nil, []), (beh, .bi), (lam, .li), (kaf, .ka)]
        for (c, cp) in conjunctions {
            for (pr, pp) in prepositions {
                for article in [false, true] {
                    var letters: [(UInt8, UInt8)] = []
                    if let c { letters.append(c) }
                    var proclitics = cp.union(pp)
                    var elided = false
                    if article {
                        proclitics.insert(.al)
                        if pp == .li {
                            // ل + ال is written لل: the article's alef is not written.
                            letters.append(lam)
                            letters.append(lam)
                            elided = true
                        } else {
                            if let pr { letters.append(pr) }
                            letters.append(alef)
                            letters.append(lam)
                        }
                    } else if let pr {
                        letters.append(pr)
                    }
                    if letters.isEmpty { continue }
                    result.append(Prefix(letters: letters, proclitics: proclitics, elidedArticle: elided))
                }
            }
        }
        return result.enumerated().sorted { a, b in
            a.element.letters.count != b.element.letters.count
                ? a.element.letters.count < b.element.letters.count : a.offset < b.offset
        }.map(\.element)
    }()

    /// `prefixes` in the same order, each as the little-endian integer of its letters' bytes and a
    /// mask over them: comparing letter tuples from an array of arrays took most of the time of
    /// finding the splits of an Arabic text's forms.
    struct PackedPrefix {
        let key: UInt64
        let mask: UInt64
        let count: Int
        let minimumStem: Int
        let proclitics: Proclitics
        let elidedArticle: Bool
    }

    static let packedPrefixes: [PackedPrefix] = prefixes.map { prefix in
        precondition(prefix.letters.count <= 4)
        var key: UInt64 = 0
        var mask: UInt64 = 0
        for (k, letter) in prefix.letters.enumerated() {
            key |= UInt64(letter.0) << UInt64(16 * k) | UInt64(letter.1) << UInt64(16 * k + 8)
            mask |= 0xFFFF << UInt64(16 * k)
        }
        return PackedPrefix(key: key, mask: mask, count: prefix.letters.count, minimumStem: prefix.minimumStem,
                            proclitics: prefix.proclitics, elidedArticle: prefix.elidedArticle)
    }

    /// `packedPrefixes` grouped by first letter (و ف ب ل ك ا), each group in their order: group `g`
    /// is `prefixes[start[g]..<start[g + 1]]`.
    static let packedPrefixGroups: (prefixes: [PackedPrefix], start: [Int]) = {
        let firstLetters: [UInt64] = [0x88D9, 0x81D9, 0xA8D8, 0x84D9, 0x83D9, 0xA7D8]
        var prefixes: [PackedPrefix] = []
        var start = [0]
        for letter in firstLetters {
            prefixes.append(contentsOf: packedPrefixes.filter { $0.key & 0xFFFF == letter })
            start.append(prefixes.count)
        }
        precondition(prefixes.count == packedPrefixes.count, "a prefix starts with another letter")
        return (prefixes, start)
    }()

    /// A candidate split of a normalized form: proclitics, how many letters they take, and the
    /// byte range of the stem in the form (or, for the elided article, the stem to prefix with ال).
    struct FormSplit {
        let proclitics: Proclitics
        let letterCount: Int
        let stemBytes: Range<Int>
        /// The stem is `ال` + `stemBytes` (ل + ال written `لل`, article kept on the stem).
        let prependArticle: Bool
    }

    /// The candidate splits of a normalized Arabic form, lightest first. No split leaves a stem
    /// shorter than two letters (three when a preposition or the article is stripped), so
    /// `ولد` or `بان` are not cut into nothing.
    static func splits(of form: UnsafeBufferPointer<UInt8>, into result: inout [FormSplit]) {
        forEachSplit(of: form) { result.append($0) }
    }

    /// Calls `body` with each candidate split of `form`, in `splits(of:into:)`'s order: inlined,
    /// so that binding a text to a lexicon reads each split as it is found, with no list to fill
    /// and empty per form.
    @inline(__always)
    static func forEachSplit(of form: UnsafeBufferPointer<UInt8>, _ body: (FormSplit) -> Void) {
        let letters = form.count / 2
        guard letters >= 3, form.count % 2 == 0, form[0] == 0xD8 || form[0] == 0xD9 else { return }
        // The form's first eight bytes (all of it when shorter), compared with each prefix's
        // letters in one masked test: a prefix is four letters at most, and one that leaves the
        // stem long enough fits in the form.
        var head: UInt64 = 0
        for i in 0..<min(form.count, 8) { head |= UInt64(form[i]) << UInt64(8 * i) }
        // Only the prefixes that start with the form's first letter can match.
        let group: Int
        switch head & 0xFFFF {
        case 0x88D9: group = 0  // و
        case 0x81D9: group = 1  // ف
        case 0xA8D8: group = 2  // ب
        case 0x84D9: group = 3  // ل
        case 0x83D9: group = 4  // ك
        case 0xA7D8: group = 5  // ا
        default: return
        }
        let groups = packedPrefixGroups
        for index in groups.start[group]..<groups.start[group + 1] {
            let prefix = groups.prefixes[index]
            let count = prefix.count
            guard letters - count >= prefix.minimumStem, head & prefix.mask == prefix.key else { continue }
            body(FormSplit(proclitics: prefix.proclitics, letterCount: count, stemBytes: (2 * count)..<form.count,
                           prependArticle: false))
            if prefix.elidedArticle {
                // The same letters read as ل + (ال)stem: the stem keeps its article and starts at
                // the second ل, which stands for it.
                body(FormSplit(proclitics: prefix.proclitics.subtracting(.al), letterCount: count - 1,
                               stemBytes: (2 * count)..<form.count, prependArticle: true))
            }
        }
    }

    /// UTF-8 offset, in `utf8`, of the `letterIndex`-th Arabic letter of the word at `range`
    /// (diacritics and tatweel are not letters: they stay with the letter before them).
    static func offset(ofLetter letterIndex: Int, in utf8: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int {
        var seen = 0
        var i = range.lowerBound
        while i < range.upperBound {
            let b0 = utf8[i]
            let length = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
            var v = UInt32(b0)
            if length == 2 { v = (UInt32(b0 & 0x1F) << 6) | UInt32(utf8[i + 1] & 0x3F) }
            else if length == 3 { v = (UInt32(b0 & 0x0F) << 12) | (UInt32(utf8[i + 1] & 0x3F) << 6) | UInt32(utf8[i + 2] & 0x3F) }
            if Scalars.classify(v) == .arabicLetter {
                if seen == letterIndex { return i }
                seen += 1
            }
            i += length
        }
        return range.upperBound
    }

    // MARK: Plural subject

    /// A verb that ends in its own plural subject (`قالوا`، `يقولون`: four letters or more ending in
    /// وا or ون, normalized): in verb-first order a verb before a noun subject stays singular, so the
    /// voice of such a verb is its own subject, not the noun after it nor one named before.
    public static func endsInPluralSubject(normalized bytes: some BidirectionalCollection<UInt8>) -> Bool {
        guard bytes.count >= 8 else { return false }
        let tail = Array(bytes.suffix(4))
        // وا (D9 88 D8 A7) or ون (D9 88 D9 86)
        return tail == [0xD9, 0x88, 0xD8, 0xA7] || tail == [0xD9, 0x88, 0xD9, 0x86]
    }

    // MARK: Verb aspect

    /// The likely aspect of a normalized Arabic word, by its shape.
    ///
    /// Imperfect: ي + at least two letters; ت + two or more letters without a perfect suffix
    /// (ت وا نا تم); ن + three or more without one; س + ي ت ن ا (future). Perfect: ت or ن words with
    /// a perfect suffix, `تم`/`تمت`, alef-initial words (in news, أفعل is nearly always the perfect of
    /// form IV: أعلن، أكد، أضاف — the first-person imperfect أكون is rare outside quotes), and other
    /// three- to seven-letter words. Unknown: words with the article, one- and two-letter words.
    /// A conjunction و/ف in front is looked through when what follows is imperfect (ويقول).
    public static func verbAspect(ofForm form: String) -> ArabicVerbAspect {
        var form = form
        return form.withUTF8 { verbAspect(ofNormalized: $0) }
    }

    static func verbAspect(ofNormalized form: UnsafeBufferPointer<UInt8>) -> ArabicVerbAspect {
        guard form.count >= 4, form.count % 2 == 0 else { return .unknown }
        var letters: [UInt32] = []
        letters.reserveCapacity(form.count / 2)
        var i = 0
        while i + 1 < form.count {
            let b0 = form[i]
            guard b0 == 0xD8 || b0 == 0xD9 || b0 == 0xDA || b0 == 0xDB else { return .unknown }
            letters.append((UInt32(b0 & 0x1F) << 6) | UInt32(form[i + 1] & 0x3F))
            i += 2
        }
        return verbAspect(letters: letters[...])
    }

    /// A perfect's ending under an object pronoun: `نقلته` (نقلت + ه), `نشرتها`, `نقلوه` (نقلوا
    /// + ه, the alef dropped). The stem keeps at least three letters; an imperfect keeps its
    /// prefix and has none of these endings (`تنقله`، `ننقلها`).
    static func perfectUnderObjectPronoun(_ s: ArraySlice<UInt32>) -> Bool {
        var stemEnd = s.endIndex
        let last = s[s.endIndex - 1]
        if last == Scalars.heh {
            stemEnd -= 1  // ه
        } else if s.count >= 2 && s[s.endIndex - 2] == Scalars.heh && (last == Scalars.alef || last == Scalars.meem) {
            stemEnd -= 2  // ها، هم
        } else if s.count >= 3 && s[s.endIndex - 3] == Scalars.heh && s[s.endIndex - 2] == Scalars.meem && last == Scalars.alef {
            stemEnd -= 3  // هما
        } else {
            return false
        }
        guard stemEnd - s.startIndex >= 3 else { return false }
        let stemLast = s[stemEnd - 1]
        return stemLast == Scalars.teh || stemLast == Scalars.waw
    }

    static func verbAspect(letters s: ArraySlice<UInt32>) -> ArabicVerbAspect {
        let count = s.count
        guard count >= 2 else { return .unknown }
        let first = s[s.startIndex]
        let second = s[s.startIndex + 1]
        if count >= 4 && (first == Scalars.waw || first == Scalars.feh) {
            if verbAspect(letters: s.dropFirst()) == .imperfect { return .imperfect }
        }
        if first == Scalars.alef && second == Scalars.lam { return .unknown }
        if first == Scalars.teh && second == Scalars.meem && (count == 2 || (count == 3 && s.last == Scalars.teh)) {
            return .perfect  // تمّ، تمّت
        }
        guard count >= 3 else { return .unknown }
        let last = s[s.endIndex - 1]
        let beforeLast = s[s.endIndex - 2]
        let perfectSuffix = last == Scalars.teh
            || (beforeLast == Scalars.waw && last == Scalars.alef)
            || (beforeLast == Scalars.noon && last == Scalars.alef)
            || (beforeLast == Scalars.teh && last == Scalars.meem)
            || perfectUnderObjectPronoun(s)
        switch first {
        case Scalars.yeh:
            return .imperfect
        case Scalars.teh:
            return perfectSuffix ? .perfect : .imperfect
        case Scalars.noon:
            return count >= 4 && !perfectSuffix ? .imperfect : .perfect
        case Scalars.seen:
            if count >= 4 && [Scalars.yeh, Scalars.teh, Scalars.noon].contains(second) { return .imperfect }
            // سأفعل (future, first person) has five letters or more; four-letter سا words are form
            // III perfects (ساعد، ساهم، سافر), which `قد` + perfect must not read as "may".
            if second == Scalars.alef && count >= 5 && !perfectSuffix { return .imperfect }
            return count <= 7 ? .perfect : .unknown
        case Scalars.alef:
            return .perfect
        default:
            return count <= 7 ? .perfect : .unknown
        }
    }
}
