import AnnotationModel
import RulePacks
import TextEngine

/// Marks who a claim is attributed to (`source`) and the words that say so (`cue`), in English
/// and Arabic, and links each cue to its source (`source` link) so the quotations module, run
/// after this one, can name the speaker of a quotation.
///
/// The words live in rule packs (`sources.en.json`, `sources.ar.json`, embedded in the binary):
/// cue entries (category `verb`, `belief`, `prep`, `quoted`, `qawl`) and source nouns (kind
/// `source`, with `named`/`type`). What the packs cannot say is where the source's noun phrase
/// is relative to its cue and where it ends; that is `EnglishAttribution` and
/// `ArabicAttribution`.
///
/// Attributes of a source: `named` (a specific person, organisation, outlet or state, versus an
/// unnamed or vague voice or a pronoun) and `type` (person, organization, media, government,
/// document, group, unknown). Attributes of a cue: `category` (from the pack).
public struct SourcesAnnotator: Annotator {
    public static let name = "sources"

    public let descriptor = ModuleDescriptor(
        name: SourcesAnnotator.name,
        version: "1.0.0",
        description: "sources of claims (named or not, with a type) and the cues that attribute to them",
        kinds: [KindDescriptor(kind: .source, defaultSeverity: .information),
                KindDescriptor(kind: .cue, defaultSeverity: .information)],
        languages: [.english, .arabic],
        // A cue looks for its source inside its own sentence only.
        scope: .paragraph)

    public init() {}

    /// The packs, read once. A pack that does not load is a build defect; it surfaces as a module
    /// failure on every call rather than a crash.
    static let packs: Result<[Language: RulePack], RulePackError> = {
        do throws(RulePackError) {
            let english = try RulePack.load(bytes: PackageResources.sources_en_json, path: "sources.en.json")
            let arabic = try RulePack.load(bytes: PackageResources.sources_ar_json, path: "sources.ar.json")
            return .success([.english: english, .arabic: arabic])
        } catch {
            return .failure(error)
        }
    }()

    /// Each pack's word sets, normalized once: a set word as the token forms it has in a text.
    /// (Normalizing per request would tokenize every set word for every paragraph.)
    static let normalizedSets: [Language: [String: [[String]]]] = {
        guard case .success(let loaded) = packs else { return [:] }
        var result: [Language: [String: [[String]]]] = [:]
        for (language, pack) in loaded {
            var sets: [String: [[String]]] = [:]
            for (name, words) in pack.wordSets { sets[name] = words.map { TextNormalizer.forms(of: $0) } }
            result[language] = sets
        }
        return result
    }()

    /// Each language's set words (single forms) with a bit per set they belong to, and the bit
    /// of each set name: a text's forms are then tested lazily (`FormSetCache`) instead of
    /// looking every set word up in every text.
    static let setLayouts: [Language: SetLayout] = {
        var result: [Language: SetLayout] = [:]
        for (language, sets) in normalizedSets {
            var layout = SetLayout()
            // One bit per set, the top bit kept for `FormSetCache.unknown`: a pack with more sets
            // than that fails here, loudly, rather than leaving a set silently empty.
            let names = sets.keys.sorted()
            precondition(names.count < 64, "sources \(language.rawValue): \(names.count) word sets, at most 63 fit a SetLayout")
            for (index, name) in names.enumerated() {
                let bit = UInt64(1) << UInt64(index)
                layout.bitOfSet[name] = bit
                for forms in sets[name] ?? [] where forms.count == 1 { layout.bitsOfWord[forms[0], default: 0] |= bit }
            }
            layout.indexASCIIWords()
            layout.indexNFCWords()
            layout.englishBits = EnglishSetBits(layout)
            layout.arabicBits = ArabicSetBits(layout)
            layout.annotationBits = (layout.bitOfSet["contractedPronouns"] ?? 0, layout.bitOfSet["articles"] ?? 0)
            for name in SetLayout.sequenceSetNames {
                guard let entries = sets[name] else { continue }
                var words = FormTable(capacity: 16)
                let sequences = entries.map { forms in forms.map { Int32(words.intern($0)) } }
                layout.sequences[name] = SetLayout.Sequences(words: words, sequences: sequences)
            }
            layout.unnamedRelatives = layout.sequences["unnamedRelative"]
            result[language] = layout
        }
        return result
    }()

    /// Each pack's entries as the rules read them (`PackEntry`), once per process rather than a
    /// dictionary lookup and string comparison per match and per text.
    static let entryTables: [Language: [PackEntry]] = {
        guard case .success(let loaded) = packs else { return [:] }
        return loaded.mapValues(PackEntry.table(for:))
    }()

    /// The attribute dictionaries of cues by category and of sources by type (`named` false,
    /// then true), for every category and type the packs and rules give, built once: a text
    /// otherwise builds (hashes) a few of them again. Others are built when met.
    static let cueAttributes: [String: [String: AttributeValue]] = {
        var categories: Set<String> = ["noun", "prep", "layout"]
        if case .success(let loaded) = packs {
            for pack in loaded.values { for entry in pack.lexicon.entries { categories.insert(entry.category) } }
        }
        var result: [String: [String: AttributeValue]] = [:]
        for category in categories { result[category] = ["category": .string(category)] }
        return result
    }()
    /// The attributes of the categories `CueCategory` names itself, without hashing the name.
    static let verbAttributes: [String: AttributeValue] = ["category": .string("verb")]
    static let beliefAttributes: [String: AttributeValue] = ["category": .string("belief")]
    static let nounAttributes: [String: AttributeValue] = ["category": .string("noun")]
    static let prepAttributes: [String: AttributeValue] = ["category": .string("prep")]
    static let layoutAttributes: [String: AttributeValue] = ["category": .string("layout")]
    static func fixedCueAttributes(_ category: CueCategory) -> [String: AttributeValue]? {
        switch category {
        case .verb: verbAttributes
        case .belief: beliefAttributes
        case .noun: nounAttributes
        case .prep: prepAttributes
        case .layout: layoutAttributes
        case .entry: nil
        }
    }
    /// Sources' attributes by type, each dictionary made once. The rules name a type by its index
    /// here (`PackEntry.typeIndex`), so classifying a source compares, copies and looks up no
    /// string.
    struct SourceAttributeTable: Sendable {
        var types: [String] = []
        var unnamed: [[String: AttributeValue]] = []
        var named: [[String: AttributeValue]] = []

        /// The types the rules name, first in the table in this order (`sourceAttributes`).
        static let common = ["person", "organization", "unknown", "media", "government", "group", "document"]
        static let person = 0, organization = 1, unknown = 2, media = 3, group = 5, document = 6

        /// The attributes of type `types[typeIndex]`.
        func attributes(named isNamed: Bool, typeIndex: Int) -> [String: AttributeValue] {
            isNamed ? named[typeIndex] : unnamed[typeIndex]
        }
    }
    static let sourceAttributes: SourceAttributeTable = {
        var types: Set<String> = ["person", "organization", "media", "government", "document", "group", "unknown"]
        if case .success(let loaded) = packs {
            for pack in loaded.values { for entry in pack.lexicon.entries { if let type = entry.attributes["type"] { types.insert(type) } } }
        }
        var table = SourceAttributeTable()
        // The common types first: the search stops at the first equal one. (All of them are in
        // `types`, so each sits at the index `SourceAttributeTable` names it by.)
        let common = SourceAttributeTable.common
        for type in common.filter(types.contains) + types.subtracting(common).sorted() {
            table.types.append(type)
            table.unnamed.append(["named": .bool(false), "type": .string(type)])
            table.named.append(["named": .bool(true), "type": .string(type)])
        }
        precondition(Array(table.types.prefix(common.count)) == common, "sourceAttributes: the common types first, in order")
        return table
    }()

    /// What one language's rules read, gathered once: a call then finds them with one comparison
    /// of the language, not a string-hashing dictionary lookup per table (and copies no `SetLayout`).
    final class LanguageRules: Sendable {
        let pack: RulePack
        let sets: [String: [[String]]]
        let layoutBox: SetLayoutBox
        let entryTable: [PackEntry]

        init?(_ language: Language) {
            guard case .success(let loaded) = SourcesAnnotator.packs, let pack = loaded[language] else { return nil }
            self.pack = pack
            sets = SourcesAnnotator.normalizedSets[language] ?? [:]
            layoutBox = SetLayoutBox(SourcesAnnotator.setLayouts[language] ?? SetLayout())
            entryTable = SourcesAnnotator.entryTables[language] ?? PackEntry.table(for: pack)
        }
    }
    static let englishRules = LanguageRules(.english)
    static let arabicRules = LanguageRules(.arabic)

    static func rules(for language: Language) -> LanguageRules? {
        if language == .english { return englishRules }
        if language == .arabic { return arabicRules }
        guard case .success(let loaded) = packs, loaded[language] != nil else { return nil }
        return LanguageRules(language)
    }

    /// The module's packs (for `RulePackTests` and `scholia test-module`).
    public static func rulePacks() throws -> [RulePack] {
        try packs.get().values.sorted { $0.language.rawValue < $1.language.rawValue }
    }

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        if case .failure(let error) = Self.packs { throw AnnotatorError("rule pack: \(error)") }
        guard let rules = Self.rules(for: request.language) else { return [] }
        let text = request.analyzed
        if text.tokens.isEmpty { return [] }
        let context = AttributionContext(
            text: text, pack: rules.pack, sets: rules.sets, layoutBox: rules.layoutBox, entryTable: rules.entryTable,
            extraWords: request.options["words"] ?? [])
        // `He says: “I wonder why. They want me out.”`: a voice inside a direct quotation is part
        // of the quoted words, not the article's attribution (PARC/PolNeAR mark the outer one).
        // A transcript turn (`WALLACE: ...`) inside a long quotation is still a speaker.
        let quotations = request.quotations.filter { $0.isClosed && !$0.isShort && !$0.isNested }
        var found: [Attribution]
        if request.language == .arabic {
            found = ArabicAttribution(context).find()
        } else {
            found = EnglishAttribution(context, quotations: quotations).find()
        }
        if !quotations.isEmpty {
            found.removeAll { attribution in
                guard attribution.category != .layout else { return false }
                let at = attribution.source.map { text.tokens[$0.lowerBound].start } ?? attribution.cue.lowerBound
                return Self.isInside(at, quotations)
            }
        }
        return context.annotations(for: found, module: descriptor.name, request: request)
    }

    /// Whether `offset` lies between the marks of one of `quotations` (sorted, not nested).
    static func isInside(_ offset: Int, _ quotations: [Quotation]) -> Bool {
        var low = 0, high = quotations.count
        while low < high {
            let mid = (low + high) / 2
            if quotations[mid].range.lowerBound <= offset { low = mid + 1 } else { high = mid }
        }
        return low > 0 && quotations[low - 1].contentRange.contains(offset)
    }
}

/// One cue and what it attributes to, in tokens.
///
/// Plain values only (no strings): the rules copy attributions around (`result.last`, the arrays
/// they build and filter), and a `String` field made each copy a retain and a release.
struct Attribution {
    /// UTF-8 range of the cue (proclitics stripped).
    var cue: Range<Int>
    var category: CueCategory
    /// Tokens of the source's noun phrase, nil when the text gives none (Arabic dropped subject).
    var source: Range<Int>?
    /// UTF-8 start of the source when it is not its first token's start (a stripped proclitic:
    /// none today, kept for `وفقا للمحللين` where the clitic stays in).
    var sourceStart: Int? = nil
}

/// An attribution's `category` attribute: the ones the rules give or test by name, or the pack
/// entry's own category (named by the entry, so no string is made or compared per cue).
enum CueCategory: Hashable, Sendable {
    case verb, belief, noun, prep, layout
    /// Another category of a pack entry (`quoted`, `qawl`): its index in the pack's lexicon.
    case entry(Int)

    /// The category of pack entry `index`, named `name`: one of the fixed cases when the name is one.
    init(entry index: Int, named name: String) {
        switch name {
        case "verb": self = .verb
        case "belief": self = .belief
        case "noun": self = .noun
        case "prep": self = .prep
        case "layout": self = .layout
        default: self = .entry(index)
        }
    }

    /// The category's name, as the annotation's `category` attribute writes it.
    func name(in pack: RulePack) -> String {
        switch self {
        case .verb: "verb"
        case .belief: "belief"
        case .noun: "noun"
        case .prep: "prep"
        case .layout: "layout"
        case .entry(let index): pack.lexicon.entries[index].category
        }
    }
}

/// A cue match as the rules read it. Plain values: the matcher's `LexiconMatch` holds three
/// reference-counted fields (its gaps, category and attributes), each retained and released
/// whenever a match was copied out of the array (once per cue per rule that took it).
struct Cue {
    /// UTF-8 range (proclitics stripped).
    let range: Range<Int>
    /// Token indices, gaps included.
    let tokens: Range<Int>
    /// Index of the entry in the pack's lexicon (and in `AttributionContext.entryTable`).
    let entryIndex: Int
    let category: CueCategory
    /// The first token range a gapped entry skipped (`quoted` *officials* `as saying`), nil for
    /// none (the matcher leaves empty gaps out).
    let firstGap: Range<Int>?

    init(_ match: LexiconMatch, category: CueCategory) {
        range = match.range
        tokens = match.tokens
        entryIndex = match.entryIndex
        self.category = category
        firstGap = match.firstGap
    }

    /// The tokens the entry's first words matched: up to the first gap (`LexiconMatch.segments[0]`).
    var firstSegment: Range<Int> { tokens.lowerBound..<(firstGap?.lowerBound ?? tokens.upperBound) }
}

/// What the rules read of a pack entry, decoded once per pack: whether it makes a cue, its
/// category and strength as small enums, and a source noun's `type` and `named`. Reading them from
/// each match's `category` and `attributes` cost a string comparison or a dictionary lookup per
/// match and per test.
struct PackEntry: Sendable {
    /// `attributes["strength"]`: absent, one of the three the rules test, or another value.
    enum Strength: UInt8, Sendable { case none, strong, weak, stance, other }
    /// The entry's `category`, the values the rules test, `other` for the rest.
    enum Category: UInt8, Sendable { case verb, belief, prep, quoted, qawl, modifier, pronoun, other }
    /// `attributes["named"]`: absent, `"true"`, `"false"`, or another value.
    enum Named: UInt8, Sendable { case none, yes, no, other }

    var isCue: Bool
    var category: Category
    /// The category an attribution of this cue has.
    var cueCategory: CueCategory
    var strength: Strength
    var named: Named
    /// `attributes["type"]`.
    var type: String?
    /// `attributes["needsAn"] == "true"`, `attributes["needsSource"] == "true"` (Arabic cues).
    var needsAn: Bool
    var needsSource: Bool
    /// `type`'s index in `SourcesAnnotator.sourceAttributes.types`, -1 for none.
    var typeIndex: Int

    /// Indexed like the pack's lexicon entries (`LexiconMatch.entryIndex`). A match's `category`
    /// and `attributes` are its lexicon entry's.
    static func table(for pack: RulePack) -> [PackEntry] {
        let sourceTypes = SourcesAnnotator.sourceAttributes.types
        return pack.lexicon.entries.indices.map { index in
            let entry = pack.lexicon.entries[index]
            let category: Category = switch entry.category {
            case "verb": .verb
            case "belief": .belief
            case "prep": .prep
            case "quoted": .quoted
            case "qawl": .qawl
            case "modifier": .modifier
            case "pronoun": .pronoun
            default: .other
            }
            let strength: Strength = switch entry.attributes["strength"] {
            case nil: .none
            case "strong": .strong
            case "weak": .weak
            case "stance": .stance
            default: .other
            }
            let named: Named = switch entry.attributes["named"] {
            case nil: .none
            case "true": .yes
            case "false": .no
            default: .other
            }
            let type = entry.attributes["type"]
            // The table holds every type of the module's packs: one missing is a build defect.
            let typeIndex = type.map { type in
                guard let index = sourceTypes.firstIndex(of: type) else {
                    preconditionFailure("sources \(pack.language.rawValue): type \(type) is not in sourceAttributes")
                }
                return index
            } ?? -1
            return PackEntry(
                isCue: pack.entries[index].kind == .cue, category: category,
                cueCategory: CueCategory(entry: index, named: entry.category), strength: strength, named: named,
                type: type, needsAn: entry.attributes["needsAn"] == "true",
                needsSource: entry.attributes["needsSource"] == "true", typeIndex: typeIndex)
        }
    }
}

/// Which word sets each set word belongs to, one bit per set.
struct SetLayout: Sendable {
    var bitOfSet: [String: UInt64] = [:]
    var bitsOfWord: [String: UInt64] = [:]
    /// The ASCII set words as a form table and their bits by id there, so that an ASCII form of a
    /// text is looked up by its bytes and stored hash, without making a string. Exact: ASCII
    /// strings are equal when their bytes are, and no other set word can equal an ASCII string
    /// (nil when one could: only U+037E, U+1FEF and U+212A decompose canonically to ASCII).
    var asciiWords: FormTable? = nil
    /// Most set words are ASCII (English): `FormSetCache` then looks a form up in `asciiWords`
    /// before testing it is ASCII (it costs the same bits, in another order).
    var asciiWordsFirst = false
    var asciiBits: [UInt64] = []
    /// The bits of `EnglishAttribution`'s sets, resolved once (nil: resolve per text).
    var englishBits: EnglishSetBits? = nil
    /// The bits of `ArabicAttribution`'s sets, resolved once (nil: resolve per text).
    var arabicBits: ArabicSetBits? = nil
    /// The multi-word sets the rules read as sequences (`AttributionContext.formSequences`), their
    /// words interned in a table of their own: a text's ids for them are then found by the stored
    /// hashes, and only for the words a sequence gets to, instead of hashing every word per text.
    static let sequenceSetNames = ["unnamedRelative", "pollNouns"]
    /// A class: read out of the dictionary per text, it is retained once, not field by field.
    final class Sequences: Sendable {
        let words: FormTable
        /// Each entry's words as ids in `words`.
        let sequences: [[Int32]]
        init(words: FormTable, sequences: [[Int32]]) {
            self.words = words
            self.sequences = sequences
        }
    }
    var sequences: [String: Sequences] = [:]
    /// `sequences["unnamedRelative"]`, which `ArabicAttribution` reads per text without hashing the name.
    var unnamedRelatives: Sequences? = nil
    /// The bits of `contractedPronouns` and `articles`, which `AttributionContext.annotations` tests.
    var annotationBits: (contractedPronouns: UInt64, articles: UInt64)? = nil
    /// Every set word by its NFC bytes and its bits by id there: a text form known to be in NFC
    /// (`isNFC`) is looked up by its bytes and stored hash. Exact: `String` equality is equality
    /// of the NFC forms, so a string equals a set word exactly when its NFC bytes equal the word's.
    /// (Looking an Arabic form up as a `String` normalizes and hashes it: ~3,000 instructions.)
    var nfcWords = FormTable(capacity: 16)
    var nfcBits: [UInt64] = []

    /// For U+0600–U+06FF: whether the scalar is in NFC alone and has combining class 0. No such
    /// scalar composes with the one before it (`SourcesPerformanceShapeTests` checks every ASCII
    /// and Arabic-block predecessor), so a string of them and ASCII is in NFC.
    static let arabicBlockInert: [Bool] = (0x600..<0x700).map { value in
        let scalar = Unicode.Scalar(UInt32(value))!
        let alone = String(Character(scalar))
        return scalar.properties.canonicalCombiningClass == .notReordered && alone._nfcCodeUnits.elementsEqual(alone.utf8)
    }

    /// Whether `bytes` (valid UTF-8) are ASCII and U+0600–U+06FF scalars that leave them in NFC;
    /// false for anything else (which is then looked up as a string).
    static func isNFC(_ bytes: ArraySlice<UInt8>) -> Bool {
        // The table read once (not a lazy global's check per byte), the bytes without bounds checks.
        let inert = arabicBlockInert
        return inert.withUnsafeBufferPointer { inert in
            bytes.withUnsafeBufferPointer { bytes in
                var i = 0
                let end = bytes.count
                while i < end {
                    let b0 = bytes[i]
                    if b0 < 0x80 { i += 1; continue }
                    guard b0 >= 0xD8 && b0 <= 0xDB && i + 1 < end else { return false }
                    guard inert[Int(b0 & 0x03) << 6 | Int(bytes[i + 1] & 0x3F)] else { return false }
                    i += 2
                }
                return true
            }
        }
    }

    mutating func indexNFCWords() {
        var table = FormTable(capacity: bitsOfWord.count)
        var bits: [UInt64] = []
        // `bitsOfWord` keeps one key per class of canonically equivalent words, with their bits.
        for (word, wordBits) in bitsOfWord {
            let nfc = String(decoding: word._nfcCodeUnits, as: UTF8.self)
            if table.intern(nfc) == bits.count { bits.append(wordBits) }
        }
        nfcWords = table
        nfcBits = bits
    }

    mutating func indexASCIIWords() {
        let decomposingToASCII: Set<UInt32> = [0x037E, 0x1FEF, 0x212A]
        var table = FormTable(capacity: bitsOfWord.count)
        var bits: [UInt64] = []
        for (word, wordBits) in bitsOfWord {
            let other = word.unicodeScalars.filter { $0.value >= 0x80 }
            if other.isEmpty {
                if table.intern(word) == bits.count { bits.append(wordBits) }
            } else if other.allSatisfy({ decomposingToASCII.contains($0.value) }) {
                return
            }
        }
        asciiWords = table
        asciiBits = bits
        asciiWordsFirst = bits.count * 2 > bitsOfWord.count
    }
}

/// A `SetLayout` behind a reference, made once per language: a text's `FormSetCache` holds it
/// without copying the layout's dozen tables (a copy retained each, and released each at the end).
final class SetLayoutBox: Sendable {
    let layout: SetLayout
    init(_ layout: SetLayout) { self.layout = layout }
}

/// The set bits of a text's forms, found on first use: the module looks at a few tokens around
/// each cue, far fewer than the set words.
final class FormSetCache {
    static let unknown: UInt64 = 1 << 63
    /// The language's layout, read as `layoutBox.layout.<table>` (a stored path: no copy).
    let layoutBox: SetLayoutBox
    let forms: FormTable
    /// Raw storage: a Swift array in a class would pay an exclusivity check on every test.
    let bits: UnsafeMutablePointer<UInt64>
    let count: Int

    convenience init(layout: SetLayout, forms: FormTable) {
        self.init(layoutBox: SetLayoutBox(layout), forms: forms)
    }

    init(layoutBox: SetLayoutBox, forms: FormTable) {
        self.layoutBox = layoutBox
        self.forms = forms
        count = forms.count
        bits = .allocate(capacity: max(count, 1))
        bits.initialize(repeating: Self.unknown, count: max(count, 1))
    }

    deinit { bits.deallocate() }

    @inline(__always) func bits(of form: Int32) -> UInt64 {
        let index = Int(form)
        guard index >= 0 && index < count else { return 0 }
        let known = bits[index]
        if known != Self.unknown { return known }
        return lookUp(index)
    }

    @inline(never) private func lookUp(_ index: Int) -> UInt64 {
        let found: UInt64
        // Both sides ASCII: equal bytes are equal strings. The table holds only ASCII words, so a
        // form with a word's bytes is ASCII too: where most forms are ASCII (English), the word
        // is looked up first and only the forms that are none pay the ASCII test; elsewhere
        // (Arabic) the test comes first, as it stops at a form's first byte. (Either order
        // gives the same bits.)
        // (The table read through `layoutBox.layout` each time: bound to a local, it was copied,
        // four arrays retained and released per form.)
        if layoutBox.layout.asciiWordsFirst, let word = layoutBox.layout.asciiWords?.find(formOf: index, in: forms) {
            found = layoutBox.layout.asciiBits[word]
        } else if layoutBox.layout.asciiWords != nil, forms.isASCII(index) {
            found = layoutBox.layout.asciiWordsFirst
                ? 0 : layoutBox.layout.asciiWords?.find(formOf: index, in: forms).map { layoutBox.layout.asciiBits[$0] } ?? 0
        } else if !layoutBox.layout.nfcBits.isEmpty, let word = layoutBox.layout.nfcWords.find(formOf: index, in: forms) {
            // Its bytes are a set word's NFC bytes: it is that word (and in NFC). Tried before the
            // NFC test, which then only the forms that are no set word pay.
            found = layoutBox.layout.nfcBits[word]
        } else if !layoutBox.layout.nfcBits.isEmpty && SetLayout.isNFC(forms.bytes(index)) {
            // In NFC: equal to a set word exactly when its bytes equal the word's NFC bytes, and
            // they equal none.
            found = 0
        } else {
            found = layoutBox.layout.bitsOfWord[forms.string(index)] ?? 0
        }
        bits[index] = found
        return found
    }
}

/// The suffixes of a text's forms that the English rules test (`-ing`, `-ly`, `n't`...), found
/// on first use, so a form's bytes are read once per text rather than once per test.
final class FormShapeCache {
    struct Shape: OptionSet {
        let rawValue: UInt8
        static let ing = Shape(rawValue: 1 << 0)
        static let ed = Shape(rawValue: 1 << 1)
        static let ly = Shape(rawValue: 1 << 2)
        /// `n't`, `'ve`, `'re`, `'ll`, `'d`, `'m`: a verb glued on.
        static let clitic = Shape(rawValue: 1 << 3)
        /// `'s` after at least one letter.
        static let possessive = Shape(rawValue: 1 << 4)
        /// A final `s` after at least one letter (`says`, `officials`).
        static let s = Shape(rawValue: 1 << 5)
        /// A hyphen anywhere in it (`early-morning`).
        static let hyphenated = Shape(rawValue: 1 << 6)
        static let known = Shape(rawValue: 1 << 7)
    }

    let forms: FormTable
    let shapes: UnsafeMutablePointer<UInt8>
    let count: Int

    init(forms: FormTable) {
        self.forms = forms
        count = forms.count
        shapes = .allocate(capacity: max(count, 1))
        shapes.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { shapes.deallocate() }

    @inline(__always) func shape(of form: Int32) -> Shape {
        let index = Int(form)
        guard index >= 0 && index < count else { return [] }
        let known = shapes[index]
        if known != 0 { return Shape(rawValue: known) }
        return compute(index)
    }

    @inline(never) private func compute(_ index: Int) -> Shape {
        let shape = forms.bytes(index).withUnsafeBufferPointer { bytes in
            let count = bytes.count
            // Strictly longer than the suffix, as `endsWith` always required. Suffixes are ASCII.
            @inline(__always) func ends(_ a: UInt8, _ b: UInt8) -> Bool {
                count > 2 && bytes[count - 2] == a && bytes[count - 1] == b
            }
            @inline(__always) func ends(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
                count > 3 && bytes[count - 3] == a && bytes[count - 2] == b && bytes[count - 1] == c
            }
            let quote = UInt8(ascii: "'")
            var shape: Shape = .known
            if ends(0x69, 0x6E, 0x67) { shape.insert(.ing) }  // ing
            if ends(0x65, 0x64) { shape.insert(.ed) }  // ed
            if ends(0x6C, 0x79) { shape.insert(.ly) }  // ly
            // n't 've 're 'll 'd 'm
            if ends(0x6E, quote, 0x74) || ends(quote, 0x76, 0x65) || ends(quote, 0x72, 0x65) || ends(quote, 0x6C, 0x6C)
                || ends(quote, 0x64) || ends(quote, 0x6D)
            {
                shape.insert(.clitic)
            }
            if ends(quote, 0x73) { shape.insert(.possessive) }  // 's
            if count > 1 && bytes[count - 1] == 0x73 { shape.insert(.s) }  // s
            if bytes.contains(0x2D) { shape.insert(.hyphenated) }  // -
            return shape
        }
        shapes[index] = shape.rawValue
        return shape
    }
}

/// Forms written as names around a paragraph: capitalized inside a sentence somewhere and never in
/// lowercase (`Trump` is a name; `Prices` at a sentence start is not).
///
/// The evidence is the token's paragraph and its two neighbours, not the whole text: the module
/// declares `scope: .paragraph`, and after an edit the server re-annotates the changed paragraphs
/// with one neighbour on each side and checks those neighbours came out as before, so nothing it
/// decides may reach further (a full run and a window run must agree).
final class NameForms {
    let text: AnalyzedText
    /// For each form, where it occurs in the text, ascending: `paragraph << 1 | 1` when written in
    /// lowercase, `paragraph << 1` when capitalized mid-sentence (a capital at a sentence start
    /// says nothing). `occurrences[start[form]..<start[form + 1]]`, gathered in one pass on first use.
    private var start: [Int32] = []
    private var occurrences: [Int32] = []

    init(text: AnalyzedText) {
        self.text = text
        scanLimit = text.tokens.count * 3
    }

    /// Written capitalized mid-sentence near `token` and never in lowercase there.
    func isName(_ form: Int32, at token: Int) -> Bool { evidence(form, at: token, requiringCapital: true) }

    /// Never written in lowercase near `token` (a word seen only at sentence starts counts).
    func isNeverLowercase(_ form: Int32, at token: Int) -> Bool { evidence(form, at: token, requiringCapital: false) }

    /// Tokens read by `scan` so far. A text asks about a few forms, and reading their window of
    /// paragraphs costs less than indexing every token; past three passes' worth of reading the
    /// index is built (a text of one long paragraph, or many questions). (Three: `build` costs
    /// about four times what `scan` does per token; after one pass's worth, most texts that built
    /// the index had only a few questions left, PolNeAR 1.1M instructions of 183M.)
    private var scanned = 0
    /// How many tokens `scan` may read before the index is built (settable for tests).
    var scanLimit: Int

    private func evidence(_ form: Int32, at token: Int, requiringCapital: Bool) -> Bool {
        let paragraph = Int32(text.paragraphIndex(ofToken: token))
        if start.isEmpty {
            let paragraphs = text.paragraphs
            if !paragraphs.isEmpty {
                let first = max(Int(paragraph) - 1, 0)
                let last = min(Int(paragraph) + 1, paragraphs.count - 1)
                let window = first <= last ? paragraphs[last].tokens.upperBound - paragraphs[first].tokens.lowerBound : 0
                if scanned + window <= scanLimit {
                    scanned += window
                    return scan(form, paragraphs: first...last, requiringCapital: requiringCapital)
                }
            }
            build()
        }
        let index = Int(form)
        guard index >= 0 && index + 1 < start.count else { return !requiringCapital }
        var low = Int(start[index]), high = Int(start[index + 1])
        let end = high
        let first = max(paragraph - 1, 0) << 1
        while low < high {
            let mid = (low + high) / 2
            if occurrences[mid] < first { low = mid + 1 } else { high = mid }
        }
        var capitalized = false
        var k = low
        while k < end && occurrences[k] >> 1 <= paragraph + 1 {
            if occurrences[k] & 1 == 1 { return false }
            capitalized = true
            k += 1
        }
        return capitalized || !requiringCapital
    }

    /// What `build`'s index says for `form` over `paragraphs`, read from the tokens: the same
    /// evidence per token (lowercase; capitalized after a word inside the paragraph), where the
    /// answer depends only on whether a lowercase one and any one occur.
    private func scan(_ form: Int32, paragraphs window: ClosedRange<Int>, requiringCapital: Bool) -> Bool {
        let capitalizedFlag = TokenFlags.capitalized
        let paragraphStartFlag = TokenFlags.paragraphStart
        let paragraphs = text.paragraphs
        var capitalized = false
        let lowercase: Bool = text.tokens.withUnsafeBufferPointer { tokens in
            // Only a token of the form is looked at closely, and the token before it only then
            // (it tracked whether the previous token was a word for every token).
            for p in window {
                let range = paragraphs[p].tokens
                var i = range.lowerBound
                while i < range.upperBound {
                    let token = tokens[i]
                    if token.form == form && token.kind == .word {
                        if !token.flags.contains(capitalizedFlag) { return true }
                        // After a word or a number of the same paragraph.
                        if i > range.lowerBound && !token.flags.contains(paragraphStartFlag) {
                            let previous = tokens[i - 1].kind
                            if previous == .word || previous == .number { capitalized = true }
                        }
                    }
                    i += 1
                }
            }
            return false
        }
        if lowercase { return false }
        return capitalized || !requiringCapital
    }

    private func build() {
        let formCount = max(text.forms.count, 1)
        var counts = [Int32](repeating: 0, count: formCount + 1)
        var codes = [Int32](repeating: 0, count: text.tokens.count)
        // One pass: each word token's evidence (`paragraph << 1 | lowercase`, or -1 for none)
        // and how many each form has; then the evidence is placed by form.
        let capitalizedFlag = TokenFlags.capitalized
        let paragraphStartFlag = TokenFlags.paragraphStart
        let paragraphs = text.paragraphs
        text.tokens.withUnsafeBufferPointer { tokens in
            codes.withUnsafeMutableBufferPointer { codes in
                counts.withUnsafeMutableBufferPointer { counts in
                    for p in paragraphs.indices {
                        var previousWord = false
                        for i in paragraphs[p].tokens {
                            let token = tokens[i]
                            var code: Int32 = -1
                            if token.kind == .word {
                                if !token.flags.contains(capitalizedFlag) {
                                    code = Int32(p) << 1 | 1
                                } else if previousWord && !token.flags.contains(paragraphStartFlag) {
                                    code = Int32(p) << 1
                                }
                                if code >= 0 { counts[Int(token.form) &+ 1] &+= 1 }
                                previousWord = true
                            } else {
                                previousWord = token.kind == .number
                            }
                            codes[i] = code
                        }
                    }
                    for f in 0..<formCount { counts[f &+ 1] &+= counts[f] }
                }
            }
        }
        var next = counts
        var occurrences = [Int32](repeating: 0, count: Int(counts[formCount]))
        text.tokens.withUnsafeBufferPointer { tokens in
            codes.withUnsafeBufferPointer { codes in
                next.withUnsafeMutableBufferPointer { next in
                    occurrences.withUnsafeMutableBufferPointer { occurrences in
                        for i in 0..<tokens.count where codes[i] >= 0 {
                            let form = Int(tokens[i].form)
                            occurrences[Int(next[form])] = codes[i]
                            next[form] &+= 1
                        }
                    }
                }
            }
        }
        self.start = counts
        self.occurrences = occurrences
    }
}

/// One word set of the pack, tested on form ids.
struct FormSet {
    let cache: FormSetCache
    let bit: UInt64
    @inline(__always) func contains(_ form: Int32) -> Bool { bit != 0 && cache.bits(of: form) & bit != 0 }
    /// `contains(form)` given the form's bits (`cache.bits(of: form)`), read once for several sets.
    @inline(__always) func matches(_ formBits: UInt64) -> Bool { formBits & bit != 0 }
    /// A normalized word that need not occur in the text (a stem cut out of one of its words).
    func contains(normalizedForm bytes: [UInt8]) -> Bool {
        guard bit != 0 else { return false }
        let word = String(decoding: bytes, as: UTF8.self)
        let layout = cache.layoutBox
        // Valid UTF-8 in NFC: a set word exactly when its bytes are one's NFC bytes, found by them
        // (`FormSetCache.lookUp`); hashing an Arabic string normalizes it, ~3,000 instructions.
        if !layout.layout.nfcBits.isEmpty && word.utf8.elementsEqual(bytes) && SetLayout.isNFC(bytes[...]) {
            return (layout.layout.nfcWords.find(word).map { layout.layout.nfcBits[$0] } ?? 0) & bit != 0
        }
        return (layout.layout.bitsOfWord[word] ?? 0) & bit != 0
    }
}

/// A set of UTF-8 spans, for the few an annotation run makes: open addressing with a
/// multiplicative hash over a buffer the caller provides (`withSpanSet`), sized for every insert
/// it will make. A `Set<Range<Int>>` allocated its storage and hashed each span with SipHash.
struct SpanSet {
    /// Pairs `start, end`; a start of `Int.min` marks an empty slot.
    private let slots: UnsafeMutableBufferPointer<Int>
    private let mask: Int
    private let capacity: Int
    private var count = 0

    @inline(__always) private static var empty: Int { Int.min }

    /// The number of slots for `capacity` spans: a power of two, at least twice as many.
    static func slotCount(for capacity: Int) -> Int {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    /// Runs `body` with an empty set that holds up to `capacity` spans, its slots on the stack
    /// when they fit there.
    static func withSpanSet<R>(capacity: Int, _ body: (inout SpanSet) throws -> R) rethrows -> R {
        let size = slotCount(for: capacity)
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: size * 2) { buffer in
            buffer.initialize(repeating: empty)
            var set = SpanSet(slots: buffer, mask: size - 1, capacity: capacity)
            return try body(&set)
        }
    }

    private init(slots: UnsafeMutableBufferPointer<Int>, mask: Int, capacity: Int) {
        self.slots = slots
        self.mask = mask
        self.capacity = capacity
    }

    /// Adds `span`; false when it was there already.
    mutating func insert(_ span: Range<Int>) -> Bool {
        var slot = Self.slot(of: span, mask: mask)
        while slots[slot &* 2] != Self.empty {
            if slots[slot &* 2] == span.lowerBound && slots[slot &* 2 &+ 1] == span.upperBound { return false }
            slot = (slot &+ 1) & mask
        }
        // At most half the slots are taken (`slotCount`), so a probe always meets an empty one.
        precondition(count < capacity, "SpanSet: more spans than its capacity")
        slots[slot &* 2] = span.lowerBound
        slots[slot &* 2 &+ 1] = span.upperBound
        count += 1
        return true
    }

    private static func slot(of span: Range<Int>, mask: Int) -> Int {
        let mixed = (UInt64(truncatingIfNeeded: span.lowerBound) &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(truncatingIfNeeded: span.upperBound) &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }
}

/// What both languages share: the text, the pack's matches sorted into cues and source nouns,
/// and the pack's word sets as form-id sets of this text.
///
/// A class: each language's rules hold it, and a struct of this many arrays would be retained and
/// released field by field on every copy.
final class AttributionContext {
    let text: AnalyzedText
    let pack: RulePack
    /// The pack's word sets, normalized (`SourcesAnnotator.normalizedSets`).
    let sets: [String: [[String]]]
    /// The pack's entries decoded (`PackEntry`), by `LexiconMatch.entryIndex`.
    let entryTable: [PackEntry]
    let cues: [Cue]
    /// The source-noun match covering each token (index into `nouns`), -1 for none.
    let nounAt: [Int32]
    /// All the pack's matches, cues among them: `nounAt` points at the source nouns. Keeping the
    /// matcher's array whole spares copying each noun match out of it (and releasing both).
    let nouns: [LexiconMatch]
    /// Token index → the cue match starting there (index into `cues`), -1 for none.
    let cueAt: [Int32]
    /// Forms of the user's extra unnamed-source words (`options["words"]`).
    let extraForms: Set<Int32>

    let cache: FormSetCache
    /// Built when first asked (`classify` asks only about capitalized English words): the Arabic
    /// rules never ask, and building it copied the analyzed text.
    lazy var names = NameForms(text: text)

    convenience init(text: AnalyzedText, pack: RulePack, sets: [String: [[String]]], layout: SetLayout,
                     entryTable: [PackEntry], extraWords: [String]) {
        self.init(text: text, pack: pack, sets: sets, layoutBox: SetLayoutBox(layout), entryTable: entryTable,
                  extraWords: extraWords)
    }

    init(text: AnalyzedText, pack: RulePack, sets: [String: [[String]]], layoutBox: SetLayoutBox, entryTable: [PackEntry],
         extraWords: [String]) {
        self.text = text
        self.pack = pack
        self.sets = sets
        self.entryTable = entryTable
        self.cache = FormSetCache(layoutBox: layoutBox, forms: text.forms)
        var nounAt = [Int32](repeating: -1, count: text.tokens.count)
        var cueAt = [Int32](repeating: -1, count: text.tokens.count)
        // The lexicon's matches directly (not `pack.matches`, which copies each into a tuple).
        let matches = pack.lexicon.matches(in: text)
        var cueCount = 0
        for index in matches.indices where entryTable[matches[index].entryIndex].isCue { cueCount += 1 }
        var cues: [Cue] = []
        cues.reserveCapacity(cueCount)
        for index in matches.indices {
            let tokens = matches[index].tokens
            let entry = matches[index].entryIndex
            if entryTable[entry].isCue {
                cueAt[tokens.lowerBound] = Int32(cues.count)
                cues.append(Cue(matches[index], category: entryTable[entry].cueCategory))
            } else {
                for t in tokens { nounAt[t] = Int32(index) }
            }
        }
        self.cues = cues
        self.nouns = matches
        self.nounAt = nounAt
        self.cueAt = cueAt
        var extra: Set<Int32> = []
        for word in extraWords {
            for form in TextNormalizer.forms(of: word) {
                if let id = text.forms.find(form) { extra.insert(Int32(id)) }
            }
        }
        extraForms = extra
    }

    /// A word set as the form ids it has in this text (words absent from the text are left out).
    func formSet(_ name: String) -> FormSet {
        FormSet(cache: cache, bit: cache.layoutBox.layout.bitOfSet[name] ?? 0)
    }

    /// A set's entries as form-id sequences, leaving out those with a word absent from the text.
    func formSequences(_ name: String) -> [[Int32]] {
        if let table = cache.layoutBox.layout.sequences[name] {
            // Each word's id in this text, found when first needed (-2 not yet, -1 absent), in a
            // scratch buffer on the stack.
            return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(table.words.count, 1)) { ids in
                ids.initialize(repeating: -2)
                var result: [[Int32]] = []
                for sequence in table.sequences {
                    var found: [Int32] = []
                    for word in sequence {
                        var id = ids[Int(word)]
                        if id == -2 {
                            id = text.forms.find(formOf: Int(word), in: table.words).map(Int32.init) ?? -1
                            ids[Int(word)] = id
                        }
                        if id < 0 { found = []; break }
                        found.append(id)
                    }
                    if !found.isEmpty { result.append(found) }
                }
                return result
            }
        }
        return (sets[name] ?? []).compactMap { forms in
            var ids: [Int32] = []
            for form in forms {
                guard let id = text.forms.find(form) else { return nil }
                ids.append(Int32(id))
            }
            return ids.isEmpty ? nil : ids
        }
    }

    /// Whether `formSequences(name)` has an entry (one whose words all occur in the text), without
    /// building the sequences: most texts name no poll, and the rules ask only whether they do.
    func hasSequence(_ name: String) -> Bool {
        guard let table = cache.layoutBox.layout.sequences[name] else { return !formSequences(name).isEmpty }
        return table.sequences.contains { sequence in
            !sequence.isEmpty && sequence.allSatisfy { text.forms.find(formOf: Int($0), in: table.words) != nil }
        }
    }

    /// The form id of one normalized form in this text (-2, which no token has, when absent).
    func formID(_ normalized: String) -> Int32 { text.forms.find(normalized).map(Int32.init) ?? -2 }

    @inline(__always) func form(_ token: Int) -> Int32 { text.tokens[token].form }
    @inline(__always) func isWord(_ token: Int) -> Bool { text.tokens[token].kind.isWord }
    @inline(__always) func isCapitalized(_ token: Int) -> Bool { text.tokens[token].flags.contains(.capitalized) }
    /// Whether a source noun covers `token` (without copying its match out).
    @inline(__always) func hasNoun(at token: Int) -> Bool { nounAt[token] >= 0 }
    /// The `type` of the source noun covering `token`, -1 when none covers it or it has no type,
    /// as its index in `SourceAttributeTable.types`: compared with an index the
    /// rules name (`SourceAttributeTable.document`), not as strings.
    @inline(__always) func nounTypeIndex(at token: Int) -> Int {
        let index = nounAt[token]
        return index < 0 ? -1 : entryTable[nouns[Int(index)].entryIndex].typeIndex
    }

    /// `named` and `type` of a source noun phrase. `headFirst`: Arabic puts the head noun first
    /// (مصادر حكومية), English last (Russian officials).
    func classify(_ tokens: Range<Int>, headFirst: Bool, articles: FormSet) -> (named: Bool, type: Int) {
        typealias Types = SourcesAnnotator.SourceAttributeTable
        // One pass over the phrase's source nouns, no intermediate arrays: the first and last
        // head, the last unnamed head, the last modifier's type.
        // Indices into `nouns`, not copies of the matches.
        var firstHeadIndex: Int? = nil
        var lastHeadIndex: Int? = nil
        var lastUnnamedHeadIndex: Int? = nil
        var modifierType: Int? = nil
        var index = tokens.lowerBound
        while index < tokens.upperBound {
            let slot = nounAt[index]
            guard slot >= 0 else { index += 1; continue }
            let matchIndex = Int(slot)
            let entry = nouns[matchIndex].entryIndex
            if entryTable[entry].category == .modifier {
                modifierType = entryTable[entry].typeIndex < 0 ? nil : entryTable[entry].typeIndex
            } else {
                if firstHeadIndex == nil { firstHeadIndex = matchIndex }
                lastHeadIndex = matchIndex
                if entryTable[entry].named == .no { lastUnnamedHeadIndex = matchIndex }
            }
            index = max(index + 1, nouns[matchIndex].tokens.upperBound)
        }
        let hasExtra = !extraForms.isEmpty && tokens.contains { extraForms.contains(form($0)) }
        if hasExtra { return (false, modifierType ?? Types.group) }
        // A pronoun alone is unnamed until linked to its antecedent.
        if tokens.count == 1, let only = firstHeadIndex, entryTable[nouns[only].entryIndex].category == .pronoun {
            let type = entryTable[nouns[only].entryIndex].typeIndex
            return (false, type < 0 ? Types.person : type)
        }
        // An unnamed noun anywhere makes the voice vague (`senior Russian officials`), except
        // after a named head in Arabic (`وكالة يونهاب ووسائل إعلام أخرى`: the agency is named).
        let head = headFirst ? firstHeadIndex : (lastUnnamedHeadIndex ?? lastHeadIndex)
        // The head's entry by index: a copy of the entry retained and released its strings.
        let headEntry = head.map { nouns[$0].entryIndex }
        var type = headEntry.map { entryTable[$0].typeIndex } ?? -1
        if type < 0 { type = Types.unknown }
        if type == Types.unknown || head == nil, let modifierType { type = modifierType }
        if let head, let named = headEntry.map({ entryTable[$0].named }), named != .none {
            // A common source noun written as part of a name (`The New York Post`, `the Post`):
            // the text writes it capitalized mid-sentence and never in lowercase.
            let last = nouns[head].tokens.upperBound - 1
            // A document noun written as a name is a publication (`the Post`).
            if named == .no && !headFirst && isCapitalized(last) && names.isName(form(last), at: last) {
                return (true, type == Types.document ? Types.media : type)
            }
            return (named == .yes, type)
        }
        // A role noun (spokesman, الوزير) or no known noun: named when a name is written out.
        // `The spokesman` at a sentence start: the capital is the article's, not a name's.
        let leadingArticle = tokens.count > 1 && articles.contains(form(tokens.lowerBound))
        let capitalizedName = tokens.dropFirst().contains { isCapitalized($0) }
            || (tokens.count > 0 && isCapitalized(tokens.lowerBound) && !text.isSentenceInitial(token: tokens.lowerBound))
            || (tokens.count > 1 && isCapitalized(tokens.lowerBound) && !leadingArticle)
            // `Stein said` at a sentence start: a name if the text writes it as one elsewhere.
            || (isCapitalized(tokens.lowerBound) && names.isName(form(tokens.lowerBound), at: tokens.lowerBound))
        if text.tokens[tokens.lowerBound].kind == .arabicWord {
            // Arabic has no capitals: a role with the article (`الوزير`) or a bare name is specific.
            // A bare name (`باراك أوباما`) is a person; an unknown noun with the article
            // (`الجامعة`) more often an organisation.
            if head == nil && type == Types.unknown {
                type = AttributionContext.startsWithArticle(text.forms.bytes(Int(form(tokens.lowerBound)))) ? Types.organization : Types.person
            }
            return (true, type)
        }
        if head == nil && capitalizedName && type == Types.unknown { type = tokens.count <= 4 ? Types.person : Types.organization }
        return (capitalizedName, type)
    }

    /// The UTF-8 offset of the first apostrophe (`'` or `’`) in `start..<end`, if any.
    static func apostrophe(in utf8: [UInt8], from start: Int, to end: Int) -> Int? {
        var offset = start
        while offset < end {
            if utf8[offset] == 0x27 { return offset }
            if utf8[offset] == 0xE2 && offset + 2 < end && utf8[offset + 1] == 0x80 && utf8[offset + 2] == 0x99 { return offset }
            offset += 1
        }
        return nil
    }

    static func startsWithArticle(_ bytes: ArraySlice<UInt8>) -> Bool {
        let i = bytes.startIndex
        return bytes.count >= 6 && bytes[i] == 0xD8 && bytes[i + 1] == 0xA7 && bytes[i + 2] == 0xD9 && bytes[i + 3] == 0x84
    }

    func annotations(for found: [Attribution], module: String, request: AnnotationRequest) -> [Annotation] {
        // A source's id is its provisional id, `source:start-end`, one per span: the spans made so
        // far say which already have one (a set of ranges, cheaper than an id table of strings).
        SpanSet.withSpanSet(capacity: found.count) { sourceSpans in
            annotations(for: found, module: module, request: request, sourceSpans: &sourceSpans)
        }
    }

    private func annotations(for found: [Attribution], module: String, request: AnnotationRequest,
                             sourceSpans: inout SpanSet) -> [Annotation] {
        var result: [Annotation] = []
        result.reserveCapacity(found.count * 2)
        // A text has a handful of distinct attribute sets: each dictionary is built once and
        // shared (copy on write), not hashed together again for every annotation.
        var cueAttributes: [(category: CueCategory, attributes: [String: AttributeValue])] = []
        let sourceAttributes = SourcesAnnotator.sourceAttributes
        // The two sets' bits resolved once per layout (`SetLayout.annotationBits`).
        let bits = cache.layoutBox.layout.annotationBits
            ?? (cache.layoutBox.layout.bitOfSet["contractedPronouns"] ?? 0, cache.layoutBox.layout.bitOfSet["articles"] ?? 0)
        let contracted = FormSet(cache: cache, bit: bits.contractedPronouns)
        let articles = FormSet(cache: cache, bit: bits.articles)
        for attribution in found {
            // Made whole (a one-element literal), not appended to: an append to an empty array
            // takes the growth path.
            var links: [AnnotationLink] = []
            if let tokens = attribution.source, !tokens.isEmpty {
                let start = attribution.sourceStart ?? text.tokens[tokens.lowerBound].start
                var end = text.tokens[tokens.upperBound - 1].end
                // `He’s claiming`: the source is `He`, the auxiliary belongs to the verb.
                if tokens.count == 1 && contracted.contains(form(tokens.lowerBound)) {
                    end = Self.apostrophe(in: request.utf8, from: start, to: end) ?? end
                }
                let range = start..<end
                let id = Annotation.provisionalID(kind: .source, range: range)
                if sourceSpans.insert(range) {
                    let (named, type) = classify(
                        tokens, headFirst: text.tokens[tokens.lowerBound].kind == .arabicWord, articles: articles)
                    let attributes = sourceAttributes.attributes(named: named, typeIndex: type)
                    result.append(Annotation(
                        id: id, module: module, kind: .source, range: range, text: request.text(in: range),
                        attributes: attributes))
                }
                links = [AnnotationLink(rel: AnnotationLink.source, target: id)]
            }
            let attributes: [String: AttributeValue]
            if let fixed = SourcesAnnotator.fixedCueAttributes(attribution.category) {
                attributes = fixed
            } else if let known = cueAttributes.first(where: { $0.category == attribution.category }) {
                attributes = known.attributes
            } else {
                let name = attribution.category.name(in: pack)
                attributes = SourcesAnnotator.cueAttributes[name] ?? ["category": .string(name)]
                cueAttributes.append((attribution.category, attributes))
            }
            result.append(Annotation(
                module: module, kind: .cue, range: attribution.cue, text: request.text(in: attribution.cue),
                attributes: attributes, links: links))
        }
        return result
    }
}
