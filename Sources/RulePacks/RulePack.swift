import AnnotationModel
import JSON
import TextEngine

/// A rule pack: the lexicon of one module for one language, as data. The built-in modules keep
/// their words in packs under `Plugins/<module>/`, and users write packs in the same format
/// (protocol.md, "Rule packs").
///
/// ```json
/// {"format": "scholia-rules/1", "module": "hedging", "language": "en", "kind": "hedge",
///  "sets": {"be": ["is", "are", "was", "were"]},
///  "entries": [
///    {"phrases": ["probably", "possibly"], "category": "adverb"},
///    {"phrases": ["may"], "category": "modal", "when": {"notSurface": ["May"]}},
///    {"phrases": ["about", "around"], "category": "approximator", "when": {"nextIsNumber": true}}],
///  "tests": [{"text": "It may rain.", "expect": [{"text": "may", "category": "modal"}]}]}
/// ```
///
/// Reading a pack is the only place JSON meets the text engine: the engine's `Lexicon` stays
/// plain data.
public struct RulePack: Sendable {
    public static let format = "scholia-rules/1"

    public var module: String
    public var language: Language
    public var description: String
    /// The kind of the annotations an entry makes when it does not name one.
    public var defaultKind: AnnotationKind
    public var entries: [Entry]
    public var wordSets: [String: [String]]
    public var tests: [PackTest]
    /// The compiled lexicon; `LexiconMatch.entryIndex` indexes `entries`.
    public let lexicon: Lexicon

    /// One lexicon entry and what it makes.
    public struct Entry: Sendable {
        public var lexiconEntry: LexiconEntry
        public var kind: AnnotationKind
    }

    /// A test written inside the pack: the annotations expected on a text.
    public struct PackTest: Sendable {
        public struct Expectation: Sendable, Hashable {
            public var text: String
            public var kind: AnnotationKind?
            public var category: String?
        }
        public var text: String
        public var expect: [Expectation]
        /// Phrases that must not be annotated (`"reject": ["May"]`).
        public var reject: [String]
    }

    /// Reads a pack. `path` only names the pack in errors.
    public static func load(bytes: [UInt8], path: String) throws(RulePackError) -> RulePack {
        let json: JSONValue
        do {
            json = try JSONParser().parse(bytes)
        } catch {
            throw RulePackError(path: path, field: nil, message: "not JSON: \(error)")
        }
        return try RulePackReader(path: path).read(json)
    }

    init(module: String, language: Language, description: String, defaultKind: AnnotationKind, entries: [Entry],
         wordSets: [String: [String]], tests: [PackTest], foldTaMarbuta: Bool, path: String) throws(RulePackError) {
        self.module = module
        self.language = language
        self.description = description
        self.defaultKind = defaultKind
        self.entries = entries
        self.wordSets = wordSets
        self.tests = tests
        do {
            lexicon = try Lexicon(
                entries: entries.map(\.lexiconEntry), wordSets: wordSets,
                options: Lexicon.Options(foldTaMarbuta: foldTaMarbuta))
        } catch {
            throw RulePackError(path: path, field: "entries", message: error.description)
        }
    }

    /// The pack's matches in a text, with the kind each makes.
    public func matches(in text: AnalyzedText) -> [(match: LexiconMatch, kind: AnnotationKind)] {
        lexicon.matches(in: text).map { ($0, entries[$0.entryIndex].kind) }
    }
}

/// What is wrong with a pack, naming the file and the field.
public struct RulePackError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var field: String?
    public var message: String

    public var description: String {
        if let field { return "\(path): \(field): \(message)" }
        return "\(path): \(message)"
    }
}

/// Turns a pack's JSON into a `RulePack`, reporting the first problem with its field path.
struct RulePackReader {
    let path: String

    func fail(_ field: String?, _ message: String) -> RulePackError {
        RulePackError(path: path, field: field, message: message)
    }

    func string(_ value: JSONValue?, _ field: String) throws(RulePackError) -> String {
        guard let string = value?.stringValue else { throw fail(field, value == nil ? "missing" : "must be a string") }
        return string
    }

    func strings(_ value: JSONValue?, _ field: String) throws(RulePackError) -> [String] {
        guard let array = value?.arrayValue else { throw fail(field, "must be an array of strings") }
        var result: [String] = []
        for (index, item) in array.enumerated() {
            guard let string = item.stringValue, !string.isEmpty else { throw fail("\(field)[\(index)]", "must be a non-empty string") }
            result.append(string)
        }
        return result
    }

    func read(_ json: JSONValue) throws(RulePackError) -> RulePack {
        guard case .object(let root) = json else { throw fail(nil, "a rule pack is a JSON object") }
        let format = try string(root["format"], "format")
        guard format == RulePack.format else { throw fail("format", "expected \"\(RulePack.format)\", got \"\(format)\"") }
        let known: Set<String> = ["format", "module", "language", "description", "kind", "sets", "entries", "tests", "foldTaMarbuta"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) {
            throw fail(unknown, "unknown member (expected one of \(known.sorted().joined(separator: ", ")))")
        }
        let module = try string(root["module"], "module")
        let language = Language(rawValue: try string(root["language"], "language"))
        let description = try root["description"].map { (v) throws(RulePackError) in try string(v, "description") } ?? ""
        let defaultKind = AnnotationKind(try root["kind"].map { (v) throws(RulePackError) in try string(v, "kind") } ?? "hedge")
        var sets: [String: [String]] = [:]
        if let raw = root["sets"] {
            guard case .object(let object) = raw else { throw fail("sets", "must be an object of word lists") }
            for (name, words) in object { sets[name] = try strings(words, "sets.\(name)") }
        }
        guard let rawEntries = root["entries"]?.arrayValue else { throw fail("entries", "missing or not an array") }
        var entries: [RulePack.Entry] = []
        for (index, raw) in rawEntries.enumerated() {
            entries += try readEntry(raw, field: "entries[\(index)]", defaultKind: defaultKind, sets: sets)
        }
        var tests: [RulePack.PackTest] = []
        if let rawTests = root["tests"] {
            guard let array = rawTests.arrayValue else { throw fail("tests", "must be an array") }
            for (index, raw) in array.enumerated() { tests.append(try readTest(raw, field: "tests[\(index)]")) }
        }
        let fold = root["foldTaMarbuta"]?.boolValue ?? false
        return try RulePack(
            module: module, language: language, description: description, defaultKind: defaultKind, entries: entries,
            wordSets: sets, tests: tests, foldTaMarbuta: fold, path: path)
    }

    /// One JSON entry gives one lexicon entry per phrase (`phrases` lists inflected forms).
    func readEntry(_ raw: JSONValue, field: String, defaultKind: AnnotationKind, sets: [String: [String]]) throws(RulePackError) -> [RulePack.Entry] {
        guard case .object(let object) = raw else { throw fail(field, "must be an object") }
        let known: Set<String> = ["phrases", "phrase", "category", "kind", "attributes", "proclitics", "priority", "when"]
        if let unknown = object.keys.first(where: { !known.contains($0) }) { throw fail("\(field).\(unknown)", "unknown member") }
        var phrases: [String] = []
        if let one = object["phrase"] { phrases.append(try string(one, "\(field).phrase")) }
        if let many = object["phrases"] { phrases += try strings(many, "\(field).phrases") }
        guard !phrases.isEmpty else { throw fail(field, "needs 'phrases' (or 'phrase')") }
        let category = try string(object["category"], "\(field).category")
        let kind = try object["kind"].map { (v) throws(RulePackError) in AnnotationKind(try string(v, "\(field).kind")) } ?? defaultKind
        var attributes: [String: String] = [:]
        if let raw = object["attributes"] {
            guard case .object(let attributeObject) = raw else { throw fail("\(field).attributes", "must be an object of strings") }
            for (name, value) in attributeObject {
                switch value {
                case .string(let s): attributes[name] = s
                case .bool(let b): attributes[name] = b ? "true" : "false"
                default: throw fail("\(field).attributes.\(name)", "must be a string or a boolean")
                }
            }
        }
        let proclitics = try readProclitics(object["proclitics"], field: "\(field).proclitics")
        let priority = try object["priority"].map { (v) throws(RulePackError) -> Int in
            guard let n = v.intValue else { throw fail("\(field).priority", "must be an integer") }
            return n
        } ?? 0
        let conditions = try object["when"].map { (v) throws(RulePackError) in try readConditions(v, field: "\(field).when", sets: sets) } ?? []
        return phrases.map { phrase in
            RulePack.Entry(
                lexiconEntry: LexiconEntry(phrase: phrase, category: category, attributes: attributes,
                                           proclitics: proclitics, conditions: conditions, priority: priority),
                kind: kind)
        }
    }

    func readProclitics(_ raw: JSONValue?, field: String) throws(RulePackError) -> Proclitics {
        guard let raw else { return .conjunctions }
        let names: [String]
        if let one = raw.stringValue { names = [one] } else { names = try strings(raw, field) }
        var result: Proclitics = .none
        for name in names {
            switch name {
            case "none": break
            case "conjunctions": result.formUnion(.conjunctions)
            case "prepositions": result.formUnion(.prepositions)
            case "all": result.formUnion(.all)
            case "wa": result.insert(.wa)
            case "fa": result.insert(.fa)
            case "bi": result.insert(.bi)
            case "li": result.insert(.li)
            case "ka": result.insert(.ka)
            case "al": result.insert(.al)
            default:
                throw fail(field, "unknown proclitic '\(name)' (none, conjunctions, prepositions, all, wa, fa, bi, li, ka, al)")
            }
        }
        return result
    }

    /// `when`: an object of conditions, all of which must hold.
    func readConditions(_ raw: JSONValue, field: String, sets: [String: [String]]) throws(RulePackError) -> [LexiconCondition] {
        guard case .object(let object) = raw else { throw fail(field, "must be an object of conditions") }
        func wordSet(_ value: JSONValue, _ name: String) throws(RulePackError) -> WordSet {
            // "@name" names a set of the pack (or a built-in set: months, numbers, weekdays).
            if let string = value.stringValue {
                guard string.hasPrefix("@") else { throw fail("\(field).\(name)", "a set name starts with '@' (or give an array of words)") }
                let setName = String(string.dropFirst())
                guard sets[setName] != nil || Lexicon.builtinWordSets[setName] != nil else {
                    throw fail("\(field).\(name)", "unknown word set '\(setName)'")
                }
                return .named(setName)
            }
            return .words(try strings(value, "\(field).\(name)"))
        }
        func flag(_ value: JSONValue, _ name: String) throws(RulePackError) -> Bool {
            guard let bool = value.boolValue else { throw fail("\(field).\(name)", "must be true or false") }
            return bool
        }
        var conditions: [LexiconCondition] = []
        for (name, value) in object {
            switch name {
            case "next": conditions.append(.nextIn(try wordSet(value, name)))
            case "notNext": conditions.append(.nextNotIn(try wordSet(value, name)))
            case "previous": conditions.append(.previousIn(try wordSet(value, name)))
            case "notPrevious": conditions.append(.previousNotIn(try wordSet(value, name)))
            case "nextIsNumber": conditions.append(try flag(value, name) ? .nextIsNumber : .nextIsNotNumber)
            case "sentenceInitial": conditions.append(try flag(value, name) ? .sentenceInitial : .notSentenceInitial)
            case "capitalized": conditions.append(try flag(value, name) ? .capitalized : .notCapitalized)
            case "surface": conditions.append(.surface(try strings(value, "\(field).\(name)")))
            case "notSurface": conditions.append(.notSurface(try strings(value, "\(field).\(name)")))
            case "nextVerb":
                switch value.stringValue {
                case "imperfect": conditions.append(.nextIsImperfectVerb)
                case "perfect": conditions.append(.nextIsPerfectVerb)
                default: throw fail("\(field).nextVerb", "must be \"imperfect\" or \"perfect\"")
                }
            default:
                throw fail("\(field).\(name)", "unknown condition (next, notNext, previous, notPrevious, nextIsNumber, "
                    + "sentenceInitial, capitalized, surface, notSurface, nextVerb)")
            }
        }
        return conditions
    }

    func readTest(_ raw: JSONValue, field: String) throws(RulePackError) -> RulePack.PackTest {
        guard case .object(let object) = raw else { throw fail(field, "must be an object") }
        let text = try string(object["text"], "\(field).text")
        var expectations: [RulePack.PackTest.Expectation] = []
        for (index, item) in (object["expect"]?.arrayValue ?? []).enumerated() {
            let itemField = "\(field).expect[\(index)]"
            if let phrase = item.stringValue {
                expectations.append(.init(text: phrase, kind: nil, category: nil))
                continue
            }
            let expected = try string(item["text"], "\(itemField).text")
            guard text.contains(expected) else { throw fail("\(itemField).text", "'\(expected)' does not occur in the test's text") }
            expectations.append(.init(
                text: expected, kind: item["kind"]?.stringValue.map { AnnotationKind($0) },
                category: item["category"]?.stringValue))
        }
        let reject = try object["reject"].map { (v) throws(RulePackError) in try strings(v, "\(field).reject") } ?? []
        return RulePack.PackTest(text: text, expect: expectations, reject: reject)
    }
}
