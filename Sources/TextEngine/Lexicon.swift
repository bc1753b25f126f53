/// One part of a lexicon phrase: a token form, or a gap of arbitrary tokens.
public enum LexiconPart: Sendable, Hashable, CustomStringConvertible {
    /// A token, compared by normalized form.
    case token(String)
    /// Between `min` and `max` tokens of any kind (within the same sentence).
    case gap(min: Int, max: Int)

    public var description: String {
        switch self {
        case .token(let form): return form
        case .gap(let min, let max): return "{\(min),\(max)}"
        }
    }
}

/// A set of words a condition tests a token against: listed words, or a named set the `Lexicon`
/// was given (or one of `Lexicon.builtinWordSets`: "months", "numbers", "weekdays").
public enum WordSet: Sendable, Hashable {
    case words([String])
    case named(String)
}

/// A condition on the context of a match. "Next" is the token right after the match and
/// "previous" the one right before it, in the same sentence (none at a sentence edge: `...In`
/// fails and `...NotIn` holds there).
public enum LexiconCondition: Sendable, Hashable {
    case nextIn(WordSet)
    case nextNotIn(WordSet)
    case previousIn(WordSet)
    case previousNotIn(WordSet)
    /// The next token is a number (digits, or a word of the "numbers" set), possibly after one
    /// currency symbol (`about $300`).
    case nextIsNumber
    case nextIsNotNumber
    /// Only opening quotation marks or brackets come before the match in its sentence.
    case sentenceInitial
    case notSentenceInitial
    /// The matched text is exactly one of these strings, case and all (`May` the month).
    case surface([String])
    case notSurface([String])
    /// The match's first token starts with an uppercase letter.
    case capitalized
    case notCapitalized
    /// The next word is likely an Arabic imperfect verb (`قد يكون`), looking past a negating `لا`
    /// (`قد لا تكون`). See `ArabicMorphology.verbAspect(ofForm:)`.
    case nextIsImperfectVerb
    /// The next word is likely an Arabic perfect verb (`قد قال`، `قد تمّ`).
    case nextIsPerfectVerb
}

/// A lexicon entry: a phrase, what it means, and where it applies.
public struct LexiconEntry: Sendable, Hashable {
    /// Normalized token forms and gaps. Never starts or ends with a gap.
    public var parts: [LexiconPart]
    public var category: String
    public var attributes: [String: String]
    /// Arabic proclitics the first token may carry in the text (default: the conjunctions و ف).
    public var proclitics: Proclitics
    public var conditions: [LexiconCondition]
    /// Among matches of the same length at the same place, the higher priority wins (then the
    /// entry listed first).
    public var priority: Int

    /// `phrase` is text as it would appear in a document, normalized the way documents are;
    /// `{min,max}` (or `{n}`) stands for a gap of that many arbitrary tokens:
    /// `"quoted {0,4} as saying"`.
    public init(
        phrase: String, category: String, attributes: [String: String] = [:], proclitics: Proclitics = .conjunctions,
        conditions: [LexiconCondition] = [], priority: Int = 0
    ) {
        self.init(parts: Self.parse(phrase: phrase), category: category, attributes: attributes,
                  proclitics: proclitics, conditions: conditions, priority: priority)
    }

    public init(
        parts: [LexiconPart], category: String, attributes: [String: String] = [:], proclitics: Proclitics = .conjunctions,
        conditions: [LexiconCondition] = [], priority: Int = 0
    ) {
        self.parts = parts
        self.category = category
        self.attributes = attributes
        self.proclitics = proclitics
        self.conditions = conditions
        self.priority = priority
    }

    /// Splits a phrase into normalized token forms and `{min,max}` gaps. A brace group that is not
    /// a gap is read as text.
    public static func parse(phrase: String) -> [LexiconPart] {
        var parts: [LexiconPart] = []
        var text = ""
        func flush() {
            for form in TextNormalizer.forms(of: text) { parts.append(.token(form)) }
            text = ""
        }
        var rest = Substring(phrase)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let gap = gap(String(rest[rest.index(after: open)..<close]))
            else {
                text += "{"
                rest = rest[rest.index(after: open)...]
                continue
            }
            flush()
            parts.append(gap)
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        flush()
        return parts
    }

    private static func gap(_ inside: String) -> LexiconPart? {
        let numbers = inside.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: " ")) }
        if numbers.count == 1, let n = numbers[0] { return .gap(min: n, max: n) }
        if numbers.count == 2, let low = numbers[0], let high = numbers[1] { return .gap(min: low, max: high) }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var s = self
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return s
    }
}

public enum LexiconError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The entry has no token.
    case emptyPhrase(entry: Int)
    /// A gap with a negative bound or min > max.
    case invalidGap(entry: Int)
    /// A condition names a word set the lexicon was not given.
    case unknownWordSet(String)
    /// The entry has more gaps than `LexiconMatch.maximumGaps` (adjacent gaps count as one).
    case tooManyGaps(entry: Int)

    public var description: String {
        switch self {
        case .emptyPhrase(let entry): return "lexicon entry \(entry) has no words"
        case .invalidGap(let entry): return "lexicon entry \(entry) has a gap with invalid bounds"
        case .unknownWordSet(let name): return "unknown word set '\(name)'"
        case .tooManyGaps(let entry):
            return "lexicon entry \(entry) has more than \(LexiconMatch.maximumGaps) gaps"
        }
    }
}

/// Entries compiled into a trie over normalized token forms, for `LexiconMatcher`.
///
/// Forms are interned into the lexicon's own `FormTable`; a matcher binds a text to the lexicon
/// once per text (each distinct form of the text is looked up once), so the pass over the tokens
/// compares integers only.
public struct Lexicon: Sendable {
    public struct Options: Sendable, Hashable {
        /// Also match when ة and ه differ (`المحتمله` for `المحتملة`): common in informal Arabic
        /// writing, but it also makes the pronoun suffix ه match ة, so it is off by default.
        public var foldTaMarbuta: Bool
        public init(foldTaMarbuta: Bool = false) { self.foldTaMarbuta = foldTaMarbuta }
    }

    struct Gap: Sendable {
        let min: Int
        let max: Int
        let target: Int32
    }

    struct Node: Sendable {
        /// Entries that end here, best first (priority, then order).
        var accepting: [Int32] = []
        var gaps: [Gap] = []
    }

    enum CompiledCondition: Sendable {
        case nextIn(Int, negated: Bool)
        case previousIn(Int, negated: Bool)
        case nextIsNumber(negated: Bool)
        case sentenceInitial(negated: Bool)
        case surface([[UInt8]], negated: Bool)
        case capitalized(negated: Bool)
        case nextVerb(ArabicVerbAspect)
    }

    public let entries: [LexiconEntry]
    public let options: Options
    /// The compiled form, behind one reference: copying a `Lexicon` (or a matcher holding one)
    /// costs one retain, not one per table.
    let compiled: Compiled

    /// The trie and tables. Nodes are flattened into arrays (no array per node), so walking the
    /// trie reads integers and never retains anything.
    final class Compiled: Sendable {
        /// Every form an entry or a word set uses.
        let vocabulary: FormTable
        /// With `foldTaMarbuta`: folded forms, and the vocabulary form each stands for.
        let foldedVocabulary: FormTable
        let foldedToForm: [Int32]
        let foldTaMarbuta: Bool
        /// Trie child of the root for each vocabulary form (-1: no entry starts with it).
        let rootChild: [Int32]
        /// Other literal edges: `(node << 32) | form` → child.
        let edges: EdgeTable
        /// Entries ending at node `n`: `accepting[acceptStart[n]..<acceptStart[n + 1]]`, best first.
        let acceptStart: [Int32]
        let accepting: [Int32]
        /// Gaps leaving node `n`: `gaps[gapStart[n]..<gapStart[n + 1]]`.
        let gapStart: [Int32]
        let gaps: [Gap]
        /// Per node, `Compiled.accepts` and `Compiled.hasGaps` bits: the walk tests both with one
        /// load, where the two ranges' bounds took four.
        let nodeKinds: [UInt8]
        static let accepts: UInt8 = 1
        static let hasGaps: UInt8 = 2
        let conditions: [[CompiledCondition]]
        let priorities: [Int]
        /// `entries[e].proclitics`, without copying the entry out (which retained its parts).
        let entryProclitics: [Proclitics]
        let wordSets: [Set<Int32>]
        let numbersSet: Int
        /// Some entry allows a proclitic: only then does binding a text look at clitic splits.
        let usesProclitics: Bool
        /// The proclitics some entry starting with vocabulary form `v` allows (their union; empty
        /// for a form no entry starts with): a clitic reading outside them can match nothing.
        let firstWordProclitics: [Proclitics]
        /// The endings of the first words in `firstWordProclitics` (none when folding ة/ه: a folded
        /// stem need not end like the word it matches).
        let stemEndings: StemEndings?
        /// The vocabulary's hashes as bits, and those of the forms some entry starts with (both
        /// let everything through when folding ة/ه: a form the vocabulary lacks may still fold to
        /// one of its words).
        let vocabularyHashes: HashFilter
        let firstWordHashes: HashFilter
        /// The hashes of the forms a literal edge below the root reads (an entry's words after
        /// its first): the walk tests a token against them before looking its form up, and most
        /// tokens after an entry's first word are none of them.
        let laterWordHashes: HashFilter

        init(vocabulary: FormTable, foldedVocabulary: FormTable, foldedToForm: [Int32], foldTaMarbuta: Bool,
             rootChild: [Int32], edges: [UInt64: Int32], nodes: [Node], conditions: [[CompiledCondition]],
             priorities: [Int], entryProclitics: [Proclitics], wordSets: [Set<Int32>], numbersSet: Int,
             usesProclitics: Bool, firstWordProclitics: [Proclitics]) {
            self.vocabulary = vocabulary
            self.foldedVocabulary = foldedVocabulary
            self.foldedToForm = foldedToForm
            self.foldTaMarbuta = foldTaMarbuta
            self.rootChild = rootChild
            self.edges = EdgeTable(edges)
            var acceptStart: [Int32] = [0]
            var accepting: [Int32] = []
            var gapStart: [Int32] = [0]
            var gaps: [Gap] = []
            var nodeKinds: [UInt8] = []
            for node in nodes {
                accepting.append(contentsOf: node.accepting)
                acceptStart.append(Int32(accepting.count))
                gaps.append(contentsOf: node.gaps)
                gapStart.append(Int32(gaps.count))
                nodeKinds.append((node.accepting.isEmpty ? 0 : Self.accepts) | (node.gaps.isEmpty ? 0 : Self.hasGaps))
            }
            self.nodeKinds = nodeKinds
            self.acceptStart = acceptStart
            self.accepting = accepting
            self.gapStart = gapStart
            self.gaps = gaps
            self.conditions = conditions
            self.priorities = priorities
            self.entryProclitics = entryProclitics
            self.wordSets = wordSets
            self.numbersSet = numbersSet
            self.usesProclitics = usesProclitics
            self.firstWordProclitics = firstWordProclitics
            self.vocabularyHashes = foldTaMarbuta ? HashFilter.everything : HashFilter(vocabulary.hashes)
            self.firstWordHashes = foldTaMarbuta ? HashFilter.everything
                : HashFilter(rootChild.indices.filter { rootChild[$0] >= 0 }.map { vocabulary.hashes[$0] })
            self.laterWordHashes = foldTaMarbuta ? HashFilter.everything
                : HashFilter(Set(edges.keys.map { Int(UInt32(truncatingIfNeeded: $0)) }).map { vocabulary.hashes[$0] })
            self.stemEndings = foldTaMarbuta ? nil : StemEndings(
                vocabulary: vocabulary, forms: firstWordProclitics.indices.filter { !firstWordProclitics[$0].isEmpty })
        }

        /// The vocabulary form for normalized bytes of a text (`hash` is `FormTable.hash` of them).
        @inline(__always)
        func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
            if let id = vocabulary.find(bytes, hash: hash) { return id }
            return lookUpFolded(bytes)
        }

        /// As `lookup`, with `probe` a `Probe` of `vocabulary`.
        @inline(__always)
        func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32, probe: FormTable.Probe) -> Int32 {
            let id = probe.find(bytes, hash: hash)
            if id >= 0 || !foldTaMarbuta { return id }
            return lookUpFolded(bytes)
        }

        /// The vocabulary form that `bytes` is with ة and ه folded (`foldTaMarbuta`), or -1.
        func lookUpFolded(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            guard foldTaMarbuta else { return -1 }
            // Only Arabic forms with ة or ه can fold to something else.
            var hasFoldable = false
            var i = 0
            while i + 1 < bytes.count {
                if (bytes[i] == 0xD8 && bytes[i + 1] == 0xA9) || (bytes[i] == 0xD9 && bytes[i + 1] == 0x87) {
                    hasFoldable = true
                    break
                }
                i += 1
            }
            guard hasFoldable else { return -1 }
            let folded = Lexicon.foldTaMarbuta(Array(bytes))
            return folded.withUnsafeBufferPointer { buffer in
                foldedVocabulary.find(buffer, hash: FormTable.hash(buffer)).map { foldedToForm[Int($0)] } ?? -1
            }
        }
    }

    /// The trie's literal edges below the root, `(node << 32) | form` → child: open addressing over
    /// a multiplicative hash of the key. A `Dictionary` hashed each key with SipHash, about 150
    /// instructions a lookup, and matching looks an edge up at every step of every walk.
    struct EdgeTable: Sendable {
        /// `UInt64.max` marks an empty slot: node and form ids are below 2³¹, so no key is that.
        private let keys: [UInt64]
        private let values: [Int32]
        private let shift: UInt64
        private let mask: Int

        init(_ edges: [UInt64: Int32]) {
            var size = 16
            var bits: UInt64 = 4
            // A quarter full at most: most lookups are of edges the trie lacks, and with linear
            // probing a miss in a half-full table read about two and a half slots, not one and a half.
            while size < edges.count * 4 {
                size <<= 1
                bits += 1
            }
            shift = 64 - bits
            mask = size - 1
            var keys = [UInt64](repeating: .max, count: size)
            var values = [Int32](repeating: -1, count: size)
            for (key, value) in edges {
                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while keys[slot] != .max { slot = (slot + 1) & mask }
                keys[slot] = key
                values[slot] = value
            }
            self.keys = keys
            self.values = values
        }

        @inline(__always)
        subscript(key: UInt64) -> Int32? {
            withLookup { $0[key] }
        }

        /// The table as raw buffers, for the walk's many lookups.
        struct Lookup {
            let keys: UnsafeBufferPointer<UInt64>
            let values: UnsafeBufferPointer<Int32>
            let shift: UInt64
            let mask: Int

            @inline(__always)
            subscript(key: UInt64) -> Int32? {
                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while true {
                    let stored = keys[slot]
                    if stored == key { return values[slot] }
                    if stored == .max { return nil }
                    slot = (slot + 1) & mask
                }
            }
        }

        func withLookup<R>(_ body: (Lookup) -> R) -> R {
            keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    body(Lookup(keys: keys, values: values, shift: shift, mask: mask))
                }
            }
        }
    }

    /// A set of form hashes as one bit each (a Bloom filter with one hash function), sixteen bits
    /// or more per form: most forms of a text are in no lexicon, and one load and test tells most
    /// of them apart without probing the vocabulary (and finding where their bytes are).
    ///
    /// A class owning its bits in a raw buffer, written only in `init`: matching tests a bit per
    /// form of every text, and through an array each test paid for the array's header and bounds.
    final class HashFilter: @unchecked Sendable {
        private let bits: UnsafeMutablePointer<UInt64>
        /// Bit of hash `h`: its top bits, `h >> shift` (the vocabulary's slots use the low ones).
        private let shift: UInt32

        init(_ hashes: [UInt32]) {
            var log2 = 12
            while (1 << log2) < hashes.count * 16 && log2 < 24 { log2 += 1 }
            shift = UInt32(32 - log2)
            let words = (1 << log2) / 64
            bits = .allocate(capacity: words)
            bits.initialize(repeating: 0, count: words)
            for hash in hashes {
                let bit = Int(hash >> shift)
                bits[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }

        /// A filter every hash passes.
        private init(everything: ()) {
            shift = 26  // 64 bits, all set
            bits = .allocate(capacity: 1)
            bits.initialize(to: .max)
        }

        static let everything = HashFilter(everything: ())

        deinit { bits.deallocate() }

        /// False when no form with this hash is in the set.
        @inline(__always)
        func mayContain(_ hash: UInt32) -> Bool {
            let bit = Int(hash >> shift)
            return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    /// The last letters of the words a clitic stem must equal to start an entry, as bits of a
    /// small Bloom filter: binding a text asks it once per proclitic-initial Arabic form, and only
    /// the forms it lets through are split and their stems looked up (splitting, hashing and
    /// looking up every stem of every such form was most of the time of matching Arabic text).
    ///
    /// Why the form's own ending decides: a stem is the end of its form (or `ال` + the end of its
    /// form, for ل + ال written `لل`). It keeps two letters or more, and two only when a one-letter
    /// conjunction is stripped from a three-letter form (`ArabicMorphology.Prefix.minimumStem`).
    /// So every stem of a form of four letters or more, the `ال` ones included, ends with the
    /// form's last three letters, and the stem of a three-letter form is its last two letters.
    struct StemEndings: Sendable {
        private static let bitCount = 1 << 14
        private let bits: [UInt64]

        init(vocabulary: FormTable, forms: [Int]) {
            var bits = [UInt64](repeating: 0, count: Self.bitCount / 64)
            vocabulary.storage.withUnsafeBufferPointer { storage in
                for form in forms {
                    let bytes = UnsafeBufferPointer(rebasing: storage[vocabulary.byteRange(form)])
                    // A stem has an even number of bytes, four or more (two-byte letters).
                    let key: UInt64
                    if bytes.count >= 6 {
                        key = Self.key(bytes, last: 6)
                    } else if bytes.count == 4 {
                        key = Self.key(bytes, last: 4)
                    } else {
                        continue
                    }
                    let bit = Self.bit(key)
                    bits[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
            self.bits = bits
        }

        /// The last `n` bytes (`n` ≤ 7, `bytes.count` ≥ `n`) and `n` itself, in one integer.
        @inline(__always)
        static func key(_ bytes: UnsafeBufferPointer<UInt8>, last n: Int) -> UInt64 {
            var key = UInt64(n) << 56
            var i = bytes.count - n
            var shift: UInt64 = 0
            while i < bytes.count {
                key |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            return key
        }

        @inline(__always)
        private static func bit(_ key: UInt64) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - 14))
        }

        /// False when no stem of the form (a normalized Arabic word of three letters or more)
        /// can be one of the words; true when one may be.
        @inline(__always)
        func mayHaveStem(in form: UnsafeBufferPointer<UInt8>) -> Bool {
            let key: UInt64
            if form.count >= 8 {
                // `key(form, last: 6)` in one load: the last eight bytes, the first two shifted out.
                key = UnsafeRawPointer(form.baseAddress!).loadUnaligned(fromByteOffset: form.count - 8, as: UInt64.self)
                    >> 16 | 6 << 56
            } else {
                key = form.count == 6 ? Self.key(form, last: 4) : Self.key(form, last: 6)
            }
            let bit = Self.bit(key)
            return bits.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
        }
    }

    /// Named sets every lexicon knows; a set of the same name passed to `init` replaces one.
    public static let builtinWordSets: [String: [String]] = [
        "months": [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يونيه", "يوليو", "يوليه", "أغسطس", "سبتمبر",
            "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
        ],
        "numbers": [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
            "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
            "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
            "billion", "billions", "trillion", "dozen", "dozens", "half",
            "واحد", "واحدة", "اثنان", "اثنين", "اثنتان", "اثنتين", "ثلاث", "ثلاثة", "أربع", "أربعة", "خمس", "خمسة", "ست",
            "ستة", "سبع", "سبعة", "ثمان", "ثماني", "ثمانية", "تسع", "تسعة", "عشر", "عشرة", "عشرون", "عشرين", "ثلاثون",
            "ثلاثين", "أربعون", "أربعين", "خمسون", "خمسين", "ستون", "ستين", "سبعون", "سبعين", "ثمانون", "ثمانين", "تسعون",
            "تسعين", "مئة", "مائة", "مئات", "ألف", "آلاف", "ألفا", "مليون", "ملايين", "مليار", "مليارات", "عشرات", "نصف",
        ],
        "weekdays": [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
        ],
    ]

    public init(entries: [LexiconEntry], wordSets: [String: [String]] = [:], options: Options = Options()) throws(LexiconError) {
        self.entries = entries
        self.options = options
        var vocabulary = FormTable(capacity: entries.count * 2 + 256)
        var nodes = [Node()]
        var edges: [UInt64: Int32] = [:]
        var rootEdges: [Int32: Int32] = [:]

        // Word sets first: conditions refer to them by index.
        var namedSets = Self.builtinWordSets
        for (name, words) in wordSets { namedSets[name] = words }
        var setIndex: [String: Int] = [:]
        var sets: [Set<Int32>] = []
        func compileSet(_ words: [String]) -> Set<Int32> {
            var members = Set<Int32>()
            for word in words {
                for form in TextNormalizer.forms(of: word) { members.insert(Int32(vocabulary.intern(form))) }
            }
            return members
        }
        for name in namedSets.keys.sorted() {
            setIndex[name] = sets.count
            sets.append(compileSet(namedSets[name]!))
        }
        var literalSets: [[String]: Int] = [:]
        func resolve(_ set: WordSet) throws(LexiconError) -> Int {
            switch set {
            case .named(let name):
                guard let index = setIndex[name] else { throw .unknownWordSet(name) }
                return index
            case .words(let words):
                if let index = literalSets[words] { return index }
                literalSets[words] = sets.count
                sets.append(compileSet(words))
                return sets.count - 1
            }
        }

        var compiledConditions: [[CompiledCondition]] = []
        var usesProclitics = false
        var firstWordProclitics: [Int32: Proclitics] = [:]
        for (index, entry) in entries.enumerated() {
            // Normalize again: parts built by hand may hold raw text or several words.
            var parts: [LexiconPart] = []
            for part in entry.parts {
                switch part {
                case .token(let text):
                    for form in TextNormalizer.forms(of: text) { parts.append(.token(form)) }
                case .gap(let low, let high):
                    guard low >= 0, high >= low else { throw .invalidGap(entry: index) }
                    // Adjacent gaps add up.
                    if case .gap(let l0, let h0)? = parts.last {
                        parts[parts.count - 1] = .gap(min: l0 + low, max: h0 + high)
                    } else {
                        parts.append(.gap(min: low, max: high))
                    }
                }
            }
            // A gap at either edge constrains nothing a match reports.
            while case .gap? = parts.first { parts.removeFirst() }
            while case .gap? = parts.last { parts.removeLast() }
            guard !parts.isEmpty else { throw .emptyPhrase(entry: index) }
            // A match keeps its gaps inline.
            guard parts.count(where: { if case .gap = $0 { true } else { false } }) <= LexiconMatch.maximumGaps else {
                throw .tooManyGaps(entry: index)
            }
            if !entry.proclitics.isEmpty { usesProclitics = true }

            var node: Int32 = 0
            var pendingGap: (Int, Int)?
            var isFirst = true
            for part in parts {
                switch part {
                case .gap(let low, let high):
                    pendingGap = (low, high)
                case .token(let form):
                    let id = Int32(vocabulary.intern(form))
                    if let (low, high) = pendingGap {
                        // Share the gap node with entries that have the same gap here.
                        if let existing = nodes[Int(node)].gaps.first(where: { $0.min == low && $0.max == high }) {
                            node = existing.target
                        } else {
                            nodes.append(Node())
                            let target = Int32(nodes.count - 1)
                            nodes[Int(node)].gaps.append(Gap(min: low, max: high, target: target))
                            node = target
                        }
                        pendingGap = nil
                    }
                    if isFirst {
                        firstWordProclitics[id, default: []].formUnion(entry.proclitics)
                        if let child = rootEdges[id] {
                            node = child
                        } else {
                            nodes.append(Node())
                            node = Int32(nodes.count - 1)
                            rootEdges[id] = node
                        }
                        isFirst = false
                    } else {
                        let key = UInt64(UInt32(node)) << 32 | UInt64(UInt32(id))
                        if let child = edges[key] {
                            node = child
                        } else {
                            nodes.append(Node())
                            let child = Int32(nodes.count - 1)
                            edges[key] = child
                            node = child
                        }
                    }
                }
            }
            nodes[Int(node)].accepting.append(Int32(index))

            var compiled: [CompiledCondition] = []
            for condition in entry.conditions {
                switch condition {
                case .nextIn(let set): compiled.append(.nextIn(try resolve(set), negated: false))
                case .nextNotIn(let set): compiled.append(.nextIn(try resolve(set), negated: true))
                case .previousIn(let set): compiled.append(.previousIn(try resolve(set), negated: false))
                case .previousNotIn(let set): compiled.append(.previousIn(try resolve(set), negated: true))
                case .nextIsNumber: compiled.append(.nextIsNumber(negated: false))
                case .nextIsNotNumber: compiled.append(.nextIsNumber(negated: true))
                case .sentenceInitial: compiled.append(.sentenceInitial(negated: false))
                case .notSentenceInitial: compiled.append(.sentenceInitial(negated: true))
                case .surface(let strings): compiled.append(.surface(strings.map { Array($0.utf8) }, negated: false))
                case .notSurface(let strings): compiled.append(.surface(strings.map { Array($0.utf8) }, negated: true))
                case .capitalized: compiled.append(.capitalized(negated: false))
                case .notCapitalized: compiled.append(.capitalized(negated: true))
                case .nextIsImperfectVerb: compiled.append(.nextVerb(.imperfect))
                case .nextIsPerfectVerb: compiled.append(.nextVerb(.perfect))
                }
            }
            compiledConditions.append(compiled)
        }
        for index in nodes.indices where nodes[index].accepting.count > 1 {
            nodes[index].accepting.sort { a, b in
                let pa = entries[Int(a)].priority
                let pb = entries[Int(b)].priority
                return pa != pb ? pa > pb : a < b
            }
        }

        var rootChild = [Int32](repeating: -1, count: vocabulary.count)
        for (form, child) in rootEdges { rootChild[Int(form)] = child }
        var procliticsOfFirstWord = [Proclitics](repeating: [], count: vocabulary.count)
        for (form, proclitics) in firstWordProclitics { procliticsOfFirstWord[Int(form)] = proclitics }

        var folded = FormTable(capacity: 16)
        var foldedToForm: [Int32] = []
        if options.foldTaMarbuta {
            for id in 0..<vocabulary.count {
                let bytes = Self.foldTaMarbuta(Array(vocabulary.bytes(id)))
                let foldedID = bytes.withUnsafeBufferPointer { folded.intern($0, hash: FormTable.hash($0)) }
                if Int(foldedID) == foldedToForm.count { foldedToForm.append(Int32(id)) }
            }
        }

        self.compiled = Compiled(
            vocabulary: vocabulary, foldedVocabulary: folded, foldedToForm: foldedToForm,
            foldTaMarbuta: options.foldTaMarbuta, rootChild: rootChild, edges: edges, nodes: nodes,
            conditions: compiledConditions, priorities: entries.map(\.priority),
            entryProclitics: entries.map(\.proclitics), wordSets: sets,
            numbersSet: setIndex["numbers"]!, usesProclitics: usesProclitics,
            firstWordProclitics: procliticsOfFirstWord)
    }

    /// ة (D8 A9) → ه (D9 87), byte for byte.
    static func foldTaMarbuta(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var i = 0
        while i + 1 < result.count {
            if result[i] == 0xD8 && result[i + 1] == 0xA9 {
                result[i] = 0xD9
                result[i + 1] = 0x87
            }
            i += 1
        }
        return result
    }

    /// Matches of this lexicon in `text` (see `LexiconMatcher`).
    public func matches(in text: AnalyzedText, overlapping: Bool = false) -> [LexiconMatch] {
        LexiconMatcher(self, overlapping: overlapping).matches(in: text)
    }
}
