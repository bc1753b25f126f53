import AnnotationModel
import RulePacks
import TextEngine

/// Marks hedges (kind `hedge`): the minimal cue of uncertainty a writer, or an unnamed voice, puts
/// on a claim (`may`, `reportedly`, `is believed`, `about` + number; `ربما`، `قد` + imperfect,
/// `يُعتقد أن`، `نحو` + number). See ANNOTATION-GUIDE.md, "hedge".
///
/// The words live in the rule packs `hedging.en.json` and `hedging.ar.json` (embedded in the
/// binary); almost every distinction is a pack condition. The one rule written here is what the
/// pack format cannot say: an entry with `"requires": "li-noun-an"` needs a `ل`-prefixed word right
/// after it and a complementizer (`أن`) a few words on — `يمكن للزعيم كيم أن يسعى` ("Kim could seek")
/// is possibility, `يمكن تصديرها` ("can be exported") is ability.
///
/// Attributes: `category` (modal, adverb, adjective, verb, shield, approximator; `custom` for words
/// from the configuration) and the entry's own attributes (`sense`).
public struct HedgingAnnotator: Annotator {
    public static let name = "hedging"

    public let descriptor = ModuleDescriptor(
        name: HedgingAnnotator.name,
        version: "1.0.0",
        description: "hedges and approximators: the minimal cue of uncertainty on a claim",
        kinds: [KindDescriptor(kind: .hedge, defaultSeverity: .hint)],
        languages: [.english, .arabic],
        // A cue's conditions look at its neighbours in the same sentence only.
        scope: .paragraph)

    /// The packs, read once. A broken pack is a build defect (the module's tests load them), so
    /// failing loudly here is right.
    public static let packs: [RulePack] = {
        do {
            return [
                try RulePack.load(bytes: PackageResources.hedging_en_json, path: "Plugins/hedging/hedging.en.json"),
                try RulePack.load(bytes: PackageResources.hedging_ar_json, path: "Plugins/hedging/hedging.ar.json"),
            ]
        } catch {
            fatalError("hedging rule pack: \(error)")
        }
    }()

    static let packsByLanguage: [Language: RulePack] = {
        var result: [Language: RulePack] = [:]
        for pack in packs { result[pack.language] = pack }
        return result
    }()

    public init() {}

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        guard let pack = Self.packsByLanguage[request.language] else { return [] }
        let analyzed = request.analyzed
        var result: [Annotation] = []
        // Attributes depend on the entry alone: built once per entry a text uses.
        var entryAttributes: [(entry: Int, attributes: [String: AttributeValue])] = []
        for match in pack.lexicon.matches(in: analyzed) {
            if let requirement = pack.lexicon.entries[match.entryIndex].attributes["requires"] {
                guard Self.holds(requirement, after: match, in: analyzed) else { continue }
            }
            let attributes: [String: AttributeValue]
            if let known = entryAttributes.first(where: { $0.entry == match.entryIndex }) {
                attributes = known.attributes
            } else {
                attributes = Self.attributes(of: pack.lexicon.entries[match.entryIndex], dropping: "requires")
                entryAttributes.append((match.entryIndex, attributes))
            }
            result.append(Annotation(
                module: descriptor.name, kind: .hedge, range: match.range,
                text: request.text(in: match.range), attributes: attributes))
        }
        if let words = request.options["words"], !words.isEmpty {
            result += try configured(words, in: analyzed, request: request, taken: result)
        }
        return result
    }

    func annotation(_ match: LexiconMatch, of lexicon: Lexicon, request: AnnotationRequest, dropping hidden: String)
        -> Annotation
    {
        Annotation(
            module: descriptor.name, kind: .hedge, range: match.range, text: request.text(in: match.range),
            attributes: Self.attributes(of: lexicon.entries[match.entryIndex], dropping: hidden))
    }

    static func attributes(of entry: LexiconEntry, dropping hidden: String) -> [String: AttributeValue] {
        var attributes: [String: AttributeValue] = ["category": .string(entry.category)]
        for (name, value) in entry.attributes where name != hidden { attributes[name] = .string(value) }
        return attributes
    }

    /// Extra words from the configuration (`scholia.lexicon.hedging`), compiled per request: the
    /// list is short and user-edited, and a module keeps no state between calls. Where a pack cue
    /// already covers the text, the pack's (categorized) annotation stays.
    func configured(_ words: [String], in analyzed: AnalyzedText, request: AnnotationRequest,
                    taken: [Annotation]) throws -> [Annotation] {
        let entries = words.filter { !TextNormalizer.forms(of: $0).isEmpty }
            .map { LexiconEntry(phrase: $0, category: "custom") }
        guard !entries.isEmpty else { return [] }
        let lexicon = try Lexicon(entries: entries)
        return lexicon.matches(in: analyzed).compactMap { match in
            if taken.contains(where: { $0.range.overlaps(match.range) }) { return nil }
            return annotation(match, of: lexicon, request: request, dropping: "requires")
        }
    }

    /// `li-noun-an`: the next token carries the preposition ل (`للزعيم`، `لروسيا`، `لها`) and a
    /// complementizer (`أن`، `ان`) follows within four more tokens of the same sentence. Forms are
    /// normalized, so أ is already ا.
    static func holds(_ requirement: String, after match: LexiconMatch, in text: AnalyzedText) -> Bool {
        guard requirement == "li-noun-an" else { return false }
        let next = match.tokens.upperBound
        let sentenceEnd = text.sentence(ofToken: match.tokens.lowerBound).tokens.upperBound
        guard next < sentenceEnd, text.tokens[next].kind == .arabicWord,
              text.form(ofToken: next).unicodeScalars.first == "\u{0644}"  // ل
        else { return false }
        var index = next + 1
        while index < min(sentenceEnd, next + 6) {
            let form = text.form(ofToken: index)
            if form == "ان" || form == "انه" || form == "انها" { return true }
            index += 1
        }
        return false
    }
}
