import TextEngine

/// Arabic cue → source. News Arabic puts the verb first: the subject follows the cue (`قال
/// الوزير`، `ذكرت صحيفة تشوسون إلبو`) and ends at the complementizer (`أن`، `إن`), a colon or
/// comma, a date (`يوم الاثنين`، `مساء الأحد`), a preposition that starts the content, or the
/// next cue (`... وأضاف`). Attribution phrases (`نقلا عن`، `وفقا`، `بحسب`) take the phrase after
/// them, clitic and all (`وفقًا للمحللين`); `نقلت X عن Y قولهم` has two voices: X for the verb and
/// Y, between `عن` and `قولهم`, for `قولهم`. A dropped subject (`وأضاف أن`) leaves a cue with no
/// source.
///
/// A class, as `EnglishAttribution` is: its sets each hold a reference.
final class ArabicAttribution {
    let c: AttributionContext
    let npStop: FormSet
    /// Verbal nouns that begin an object (`أكدت اللجنة الوطنية تصاعد الأعمال`): they end a subject
    /// that already has its definite head, and only then (`مدير إدارة تطوير الأعمال` is one phrase).
    let objectNouns: FormSet
    /// `كان`، `بات`: after one, `مؤكدا` is a predicate (`بات مؤكدا غياب اللاعب`), not a cue.
    let copulas: FormSet
    /// `بن`، `عبد`، `أبو`: a name goes on after them.
    let nameLinks: FormSet
    /// `قال له`، `قالت لي`: the one spoken to.
    let addressees: FormSet
    /// `وفق`، `حسب`: also "in accordance with"; before one of `conformityNouns` (`وفق جدول زمني`،
    /// `حسب الحاجة`، `وفقا للقانون`) no one is quoted.
    let conformityPreps: FormSet
    let conformityNouns: FormSet
    /// `حسبما` (حسب + ما), written as one word: the verb after it carries the voice.
    let hasabama: Int32
    /// `كل من X وY`: "both X and Y".
    let kull: Int32
    let minWord: Int32
    let places: FormSet
    let thatWords: FormSet
    /// The unnamed relatives (`لم تحدد هويتها`): their words in a table of their own and each
    /// relative as ids there (`SetLayout.unnamedRelatives`). A text's words are looked up in that
    /// table where a subject reaches a stop word, rather than every relative word in the text's
    /// table per text (~2,000 instructions a text, and an array per relative).
    private let relativeTable: SetLayout.Sequences?
    /// The relatives as form-id sequences of this text, for a layout without `unnamedRelatives`.
    private lazy var relatives: [[Int32]] = c.formSequences("unnamedRelative")
    let an: Int32
    /// `فإن` and the Dutch `فان` normalize alike (إ → ا).
    let fainna: Int32
    let ila: Int32
    let demonstratives: FormSet
    let standaloneLi: FormSet
    /// `التي`، `الذي`...: a verb right after one has the relative as its subject.
    let relativePronouns: FormSet
    /// A cue after one of these is a verbal noun (`على ذكر اسمه`), not a verb.
    let prepositionsBeforeNoun: FormSet
    /// `بحسب ما ذكرت الصحيفة`: the voice is the subject of the verb after `ما`.
    let whatWords: FormSet
    /// Quotation marks around a name inside a source (`شبكة "فوكس نيوز" الإخبارية`).
    let quoteMarks: FormSet

    /// The longest subject, in words: Gulf news writes long titles before a name (`مدير إدارة شؤون
    /// الزيارة بوكالة شؤون المسجد النبوي ياسر الجيار`); at 9 a fifth of the long ones lost the name's end.
    static let maxPhrase = 12

    init(_ c: AttributionContext) {
        self.c = c
        // The sets' bits by name, resolved once per layout rather than per text.
        let bits = c.cache.layoutBox.layout.arabicBits ?? ArabicSetBits(c.cache.layoutBox.layout)
        npStop = FormSet(cache: c.cache, bit: bits.npStop)
        objectNouns = FormSet(cache: c.cache, bit: bits.objectNouns)
        copulas = FormSet(cache: c.cache, bit: bits.copulas)
        nameLinks = FormSet(cache: c.cache, bit: bits.nameLinks)
        addressees = FormSet(cache: c.cache, bit: bits.addressees)
        conformityPreps = FormSet(cache: c.cache, bit: bits.conformityPreps)
        conformityNouns = FormSet(cache: c.cache, bit: bits.conformityNouns)
        hasabama = c.formID("حسبما")
        kull = c.formID("كل")
        minWord = c.formID("من")
        places = FormSet(cache: c.cache, bit: bits.places)
        thatWords = FormSet(cache: c.cache, bit: bits.thatWords)
        an = c.formID("عن")
        fainna = c.formID("فان")
        ila = c.formID("الي")
        demonstratives = FormSet(cache: c.cache, bit: bits.demonstratives)
        standaloneLi = FormSet(cache: c.cache, bit: bits.standaloneLi)
        relativePronouns = FormSet(cache: c.cache, bit: bits.relativePronouns)
        prepositionsBeforeNoun = FormSet(cache: c.cache, bit: bits.prepositionsBeforeNoun)
        whatWords = FormSet(cache: c.cache, bit: bits.whatWords)
        quoteMarks = FormSet(cache: c.cache, bit: bits.quoteMarks)
        relativeTable = c.cache.layoutBox.layout.unnamedRelatives
    }

    func find() -> [Attribution] {
        var result: [Attribution] = []
        result.reserveCapacity(c.cues.count)
        for cue in c.cues {
            let sentence = c.text.sentence(ofToken: cue.tokens.lowerBound).tokens
            var source: Range<Int>?
            switch c.entryTable[cue.entryIndex].category {
            case .prep:
                var j = cue.tokens.upperBound
                // `حسبما أفاد مصدر أمني`: as with `بحسب ما`, the verb after it carries the voice.
                if c.form(cue.tokens.lowerBound) == hasabama && cue.tokens.count == 1 {
                    if j < sentence.upperBound && c.cueAt[j] >= 0 { continue }
                    source = j + 1 < sentence.upperBound ? subject(from: j + 1, in: sentence, allowStopFirst: false) : nil
                    break
                }
                // `وفقاً لـ المحللين`: a preposition written apart.
                if j < sentence.upperBound && standaloneLi.contains(c.form(j)) { j += 1 }
                // `وفق جدول زمني`، `حسب الحاجة`: a rule or a need, not a voice.
                if cue.tokens.count == 1 && conformityPreps.contains(c.form(cue.tokens.lowerBound)) && j < sentence.upperBound
                    && conformsTo(j) { continue }
                if j + 1 < sentence.upperBound && whatWords.contains(c.form(j)) {
                    // `بحسب ما ذكرت الصحيفة`: when the verb after `ما` is a cue it carries the
                    // attribution itself; otherwise (`وفقا لما ذكره البيت الأبيض`) its subject is
                    // the voice.
                    if c.cueAt[j + 1] >= 0 { continue }
                    source = subject(from: j + 2, in: sentence, allowStopFirst: false)
                    break
                }
                source = subject(from: j, in: sentence, allowStopFirst: true)
            case .qawl:
                // `عن مسؤولين روس قولهم`: the voice sits between `عن` and `قولهم`.
                var k = cue.tokens.lowerBound - 1
                while k >= sentence.lowerBound && cue.tokens.lowerBound - k <= Self.maxPhrase && c.form(k) != an { k -= 1 }
                if k >= sentence.lowerBound, c.form(k) == an, k + 1 < cue.tokens.lowerBound {
                    source = (k + 1)..<cue.tokens.lowerBound
                }
            default:
                // `على ذكر اسمه`: after a preposition the word is a verbal noun.
                let before = cue.tokens.lowerBound - 1
                if before >= sentence.lowerBound && prepositionsBeforeNoun.contains(c.form(before)) { continue }
                if before >= sentence.lowerBound && copulas.contains(c.form(before)) && endsWithAlef(cue.tokens.upperBound - 1) { continue }
                // `اللوحات التي توضح المناطق`: the relative is the subject, what follows the
                // object. A report (`الذي أشار إلى أن`) keeps its cue, without a source here.
                if before >= sentence.lowerBound && relativePronouns.contains(c.form(before)) {
                    var next = cue.tokens.upperBound
                    if next < sentence.upperBound && c.form(next) == ila { next += 1 }
                    guard next < sentence.upperBound, thatWords.contains(c.form(next)) else { continue }
                    result.append(Attribution(cue: cue.range, category: cue.category, source: nil))
                    continue
                }
                if c.entryTable[cue.entryIndex].needsAn {
                    // نقل is also "transport": attribution needs the عن of the reported voice.
                    let window = cue.tokens.upperBound..<min(sentence.upperBound, cue.tokens.upperBound + Self.maxPhrase + 2)
                    guard window.contains(where: { c.form($0) == an }) else { continue }
                }
                // A verb agreeing in the plural (قالوا، يؤكدون) carries its subject: in verb-first
                // order the verb stays singular before a noun subject, so what follows is the object.
                if !carriesPluralSubject(cue.tokens.upperBound - 1) {
                    source = subject(from: cue.tokens.upperBound, in: sentence, allowStopFirst: false)
                }
                if source == nil && c.entryTable[cue.entryIndex].needsSource { continue }
                // `وقال الوزير ... مضيفا أن`: a participle (حال) with nothing after it says more in
                // the voice of the attribution before it in the sentence.
                if source == nil && endsWithAlef(cue.tokens.upperBound - 1) && !carriesPluralSubject(cue.tokens.upperBound - 1),
                   let last = result.last, last.category == .verb, let voice = last.source,
                   last.cue.lowerBound >= c.text.tokens[sentence.lowerBound].start {
                    source = voice
                }
            }
            result.append(Attribution(cue: cue.range, category: cue.category, source: source))
        }
        return result
    }

    private func carriesPluralSubject(_ t: Int) -> Bool {
        Self.endsInPluralSubject(c.text.forms.bytes(Int(c.form(t))))
    }

    /// `ArabicMorphology.endsInPluralSubject` written out on the slice: through its generic
    /// signature it copies the tail into an array, ~4,000 instructions a call
    /// (`SourcesPerformanceShapeTests` checks the two agree).
    static func endsInPluralSubject(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 8 else { return false }
        let end = bytes.endIndex
        // وا (D9 88 D8 A7) or ون (D9 88 D9 86)
        return bytes[end - 4] == 0xD9 && bytes[end - 3] == 0x88
            && ((bytes[end - 2] == 0xD8 && bytes[end - 1] == 0xA7) || (bytes[end - 2] == 0xD9 && bytes[end - 1] == 0x86))
    }

    /// Written tanween fath (ً, D9 8B) marks the accusative: an object, not a subject (`يرى حلاً`).
    private func isAccusative(_ t: Int) -> Bool {
        c.text.tokens[t].flags.contains(.hadDiacritics) && writes(t, 0xD9, 0x8B)
    }

    /// The token as written (before normalization) holds the two-byte letter or mark `b0 b1`.
    private func writes(_ t: Int, _ b0: UInt8, _ b1: UInt8) -> Bool {
        let range = c.text.tokens[t].range
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            if c.text.utf8[i] == b0 && c.text.utf8[i + 1] == b1 { return true }
            i += 1
        }
        return false
    }

    /// The word at `t` is one of `conformityNouns`, also behind the preposition ل (`للقانون`،
    /// `لاحتياجاتهم`: ل + noun, or لل for ل + the article).
    private func conformsTo(_ t: Int) -> Bool {
        let f = c.form(t)
        if conformityNouns.contains(f) { return true }
        let bytes = c.text.forms.bytes(Int(f))
        let lam: [UInt8] = [0xD9, 0x84]
        guard bytes.count > 4, bytes.prefix(2).elementsEqual(lam) else { return false }
        var stem = Array(bytes.dropFirst(2))
        // لل + stem is ل + ال + stem: try the stem with its article, then without.
        if stem.prefix(2).elementsEqual(lam) {
            let bare = Array(stem.dropFirst(2))
            if conformityNouns.contains(normalizedForm: [0xD8, 0xA7] + stem) { return true }
            stem = bare
        }
        // `لاحتياجاتهم`: a possessive suffix on the noun.
        for candidate in [stem, Self.droppingPronounSuffix(stem)] where conformityNouns.contains(normalizedForm: candidate) {
            return true
        }
        return false
    }

    /// The word without a possessive pronoun at its end (هم، هما، ها، ه، كم), when a stem of two
    /// letters or more is left; else the word.
    static func droppingPronounSuffix(_ word: [UInt8]) -> [UInt8] {
        let suffixes: [[UInt8]] = [[0xD9, 0x87, 0xD9, 0x85, 0xD8, 0xA7], [0xD9, 0x87, 0xD9, 0x85], [0xD9, 0x87, 0xD8, 0xA7],
                                   [0xD9, 0x83, 0xD9, 0x85], [0xD9, 0x87]]
        for suffix in suffixes where word.count >= suffix.count + 4 && word.suffix(suffix.count).elementsEqual(suffix) {
            return Array(word.dropLast(suffix.count))
        }
        return word
    }

    /// The normalized form ends with ا (the accusative of `مؤكدا`، `مشيرا`).
    private func endsWithAlef(_ t: Int) -> Bool {
        let bytes = c.text.forms.bytes(Int(c.form(t)))
        return bytes.count >= 4 && bytes[bytes.endIndex - 2] == 0xD8 && bytes[bytes.endIndex - 1] == 0xA7
    }

    /// The normalized form starts with لل (the preposition لـ on a definite noun).
    private func startsWithLiAl(_ t: Int) -> Bool {
        let bytes = c.text.forms.bytes(Int(c.form(t)))
        let i = bytes.startIndex
        return bytes.count >= 6 && bytes[i] == 0xD9 && bytes[i + 1] == 0x84 && bytes[i + 2] == 0xD9 && bytes[i + 3] == 0x84
    }

    /// The token as written has إ (D8 A5).
    private func writesHamzaBelow(_ t: Int) -> Bool { writes(t, 0xD8, 0xA5) }

    private func isDefinite(_ t: Int) -> Bool {
        let bytes = c.text.forms.bytes(Int(c.form(t)))
        // ال (0xD8A7 0xD984), possibly after و (0xD988).
        var i = bytes.startIndex
        if bytes.count >= 6 && bytes[i] == 0xD9 && bytes[i + 1] == 0x88 { i += 2 }
        return bytes.endIndex - i >= 4 && bytes[i] == 0xD8 && bytes[i + 1] == 0xA7 && bytes[i + 2] == 0xD9 && bytes[i + 3] == 0x84
    }

    /// The subject noun phrase starting at token `first`. `allowStopFirst`: after `وفقا`/`بحسب` the
    /// first word may be one the stop list holds as a preposition.
    func subject(from first: Int, in sentence: Range<Int>, allowStopFirst: Bool) -> Range<Int>? {
        var end = first
        var sawDefinite = false
        while end < sentence.upperBound && end - first < Self.maxPhrase {
            let token = c.text.tokens[end]
            // `شبكة "فوكس نيوز" الإخبارية`: a quoted name inside the phrase, closed within a few
            // words; or the whole name (`بحسب «رويترز»`).
            if quoteMarks.contains(token.form) && (end > first || allowStopFirst) {
                var close = end + 1
                while close < sentence.upperBound && close - end <= 5 && !quoteMarks.contains(c.form(close)) { close += 1 }
                guard close < sentence.upperBound, close - end <= 5, quoteMarks.contains(c.form(close)), close > end + 1 else { break }
                // A name that is the whole phrase ends it: `بحسب «رويترز» رغم ...`.
                let whole = end == first
                end = close + 1
                if whole { break }
                continue
            }
            // `د. محمد العيسى`، `أ.د. سعد`: the full stop of a one-letter title stays in the phrase.
            if end > first && token.kind == .punctuation && c.text.forms.bytes(Int(token.form)).elementsEqual([0x2E]),
               c.text.tokens[end - 1].kind == .arabicWord, c.text.forms.bytes(Int(c.form(end - 1))).count == 2,
               end + 1 < sentence.upperBound, c.text.tokens[end + 1].kind == .arabicWord {
                end += 1
                continue
            }
            guard token.kind == .arabicWord || token.kind == .word else { break }
            let f = token.form
            if end > first || !allowStopFirst {
                if c.cueAt[end] >= 0 { break }
                // `وأكد للمجلس أن ...`: the one spoken to (لـ), and `يؤكد قدرة الوزارة`: an object
                // straight after the verb, whose subject came before it.
                if end == first && (startsWithLiAl(end) || objectNouns.contains(f) || addressees.contains(f)) { break }
                // `وقال كل من فايز محمد وحسين محمد`: the `من` of "each of" is not a preposition.
                if end == first + 1 && f == minWord && c.form(first) == kull { end += 1; continue }
                if npStop.contains(f) && !(end == first && demonstratives.contains(f)) {
                    // `مصادر ... لم تحدد هويتها`: the relative stays in.
                    if let length = relativeLength(at: end) { end += length; break }
                    break
                }
                // `اتهمت الولايات المتحدة كوريا`: a country after a definite phrase is the object.
                if sawDefinite && places.contains(f) && end > first { break }
                if sawDefinite && objectNouns.contains(f) && end > first { break }
                // `وبحسب التقرير فإن ...`: the content starts; `لويس فان غال` is a name.
                if f == fainna && end > first && (writesHamzaBelow(end) || (end + 1 < sentence.upperBound && isDefinite(end + 1))) { break }
            }
            // Written tanween fath: the accusative of an object or a circumstance (`وقال زوج
            // المعلمة متحفظاً`), never the nominative subject.
            if (end > first || !allowStopFirst) && isAccusative(end) { break }

            if isDefinite(end) { sawDefinite = true }
            end += 1
        }
        // A long title cut off inside a name (`الأستاذ أحمد بن`): the name's next word belongs to it.
        if end - first == Self.maxPhrase && end < sentence.upperBound && nameLinks.contains(c.form(end - 1))
            && c.text.tokens[end].kind == .arabicWord && c.cueAt[end] < 0 && !npStop.contains(c.form(end)) {
            end += 1
        }
        // `ونفى المسؤولون ... هذه الاتهامات`: trailing particles are not the subject.
        while end > first && (thatWords.contains(c.form(end - 1)) || standaloneLi.contains(c.form(end - 1))) { end -= 1 }
        return end > first ? first..<end : nil
    }

    /// The length of the first unnamed relative (in the set's order) whose words the text has
    /// from token `t` on, nil for none.
    func relativeLength(at t: Int) -> Int? {
        guard let table = relativeTable else { return relativeLengthBySetWords(at: t) }
        // Most stop words open no relative: one lookup of the first word settles them.
        guard relativeWord(at: t, in: table) >= 0 else { return nil }
        let tokenCount = c.text.tokens.count
        for phrase in table.sequences where !phrase.isEmpty && t + phrase.count <= tokenCount {
            var offset = 0
            while offset < phrase.count && relativeWord(at: t + offset, in: table) == phrase[offset] { offset += 1 }
            if offset == phrase.count { return phrase.count }
        }
        return nil
    }

    /// The id in `table.words` of token `t`'s form, -1 when it is no relative word.
    private func relativeWord(at t: Int, in table: SetLayout.Sequences) -> Int32 {
        table.words.find(formOf: Int(c.form(t)), in: c.text.forms).map(Int32.init) ?? -1
    }

    /// `relativeLength` from the set words resolved in this text (`formSequences`).
    private func relativeLengthBySetWords(at t: Int) -> Int? {
        for phrase in relatives where t + phrase.count <= c.text.tokens.count {
            var ok = true
            for (offset, id) in phrase.enumerated() where c.form(t + offset) != id { ok = false; break }
            if ok { return phrase.count }
        }
        return nil
    }
}

/// The bits of the word sets `ArabicAttribution` tests, looked up by name once per layout
/// (`SetLayout.arabicBits`): per text they cost a string-keyed dictionary lookup each.
struct ArabicSetBits: Sendable {
    let npStop: UInt64
    let objectNouns: UInt64
    let copulas: UInt64
    let nameLinks: UInt64
    let addressees: UInt64
    let conformityPreps: UInt64
    let conformityNouns: UInt64
    let places: UInt64
    let thatWords: UInt64
    let demonstratives: UInt64
    let standaloneLi: UInt64
    let relativePronouns: UInt64
    let prepositionsBeforeNoun: UInt64
    let whatWords: UInt64
    let quoteMarks: UInt64

    init(_ layout: SetLayout) {
        func bit(_ name: String) -> UInt64 { layout.bitOfSet[name] ?? 0 }
        npStop = bit("npStop")
        objectNouns = bit("objectNouns")
        copulas = bit("copulas")
        nameLinks = bit("nameLinks")
        addressees = bit("addressees")
        conformityPreps = bit("conformityPreps")
        conformityNouns = bit("conformityNouns")
        places = bit("places")
        thatWords = bit("thatWords")
        demonstratives = bit("demonstratives")
        standaloneLi = bit("standaloneLi")
        relativePronouns = bit("relativePronouns")
        prepositionsBeforeNoun = bit("prepositionsBeforeNoun")
        whatWords = bit("whatWords")
        quoteMarks = bit("quoteMarks")
    }
}
