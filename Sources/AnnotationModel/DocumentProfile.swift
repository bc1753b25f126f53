/// The figures a sourcing review asks of one document: how many sources are named and how many
/// are not, how often the writer hedges, and whose words are quoted.
///
/// Computed from a finished pipeline result (ids numbered, links resolved), so it is the same
/// whether the annotations came from the server or the command line.
public struct DocumentProfile: Sendable, Hashable {
    /// One distinct source: the same wording (case and spacing aside) counts once, with how often it appears.
    public struct SourceEntry: Sendable, Hashable {
        public var text: String
        public var named: Bool?
        public var type: String?
        public var mentions: Int
    }

    public var words: Int
    public var namedSources: Int
    public var unnamedSources: Int
    /// Sources whose annotation does not say named or not (a custom module's).
    public var otherSources: Int
    public var cues: Int
    public var hedges: Int
    public var hedgesByCategory: [String: Int]
    public var quotes: Int
    public var quotesWithSpeaker: Int
    public var distinctSources: [SourceEntry]

    public var quotesWithoutSpeaker: Int { quotes - quotesWithSpeaker }
    public var sources: Int { namedSources + unnamedSources + otherSources }

    /// Occurrences of `count` per 1,000 words (0 for a text without words).
    public func perThousandWords(_ count: Int) -> Double {
        words == 0 ? 0 : Double(count) * 1000 / Double(words)
    }

    public init(utf8: [UInt8], annotations: [Annotation]) {
        words = Self.countWords(utf8)
        var named = 0, unnamed = 0, other = 0, cues = 0, hedges = 0, quotes = 0, withSpeaker = 0
        var categories: [String: Int] = [:]
        var entries: [String: SourceEntry] = [:]
        var order: [String] = []
        for annotation in annotations {
            switch annotation.kind {
            case .source:
                let isNamed = annotation.attributes["named"]?.boolValue
                switch isNamed {
                case true: named += 1
                case false: unnamed += 1
                default: other += 1
                }
                let key = Self.key(annotation.text)
                if entries[key] == nil {
                    order.append(key)
                    entries[key] = SourceEntry(
                        text: annotation.text, named: isNamed, type: annotation.attributes["type"]?.stringValue, mentions: 0)
                }
                entries[key]!.mentions += 1
            case .cue:
                cues += 1
            case .hedge:
                hedges += 1
                categories[annotation.attributes["category"]?.stringValue ?? "other", default: 0] += 1
            case .quote:
                quotes += 1
                if annotation.link(AnnotationLink.speaker) != nil { withSpeaker += 1 }
            default:
                break
            }
        }
        namedSources = named
        unnamedSources = unnamed
        otherSources = other
        self.cues = cues
        self.hedges = hedges
        hedgesByCategory = categories
        self.quotes = quotes
        quotesWithSpeaker = withSpeaker
        // Most mentioned first; ties keep the order of first appearance.
        distinctSources = order.enumerated()
            .sorted { a, b in
                let ma = entries[a.element]!.mentions, mb = entries[b.element]!.mentions
                return ma != mb ? ma > mb : a.offset < b.offset
            }
            .map { entries[$0.element]! }
    }

    /// Case- and space-insensitive identity of a source's wording.
    static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    /// Words are maximal runs of letters and digits (any script): enough for a rate per 1,000 words,
    /// and the same count in English and Arabic.
    static func countWords(_ utf8: [UInt8]) -> Int {
        var count = 0
        var inWord = false
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
            let isWordScalar = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark
            if isWordScalar && !inWord { count += 1 }
            inWord = isWordScalar
        }
        return count
    }

    /// The one-line summary an editor shows (code lens) and `annotate --profile` prints first:
    /// `3 named · 6 unnamed sources · 14 hedges · 1 quote`.
    public var summary: String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts = ["\(namedSources) named", plural(unnamedSources, "unnamed source")]
        if otherSources > 0 { parts.append(plural(otherSources, "other source")) }
        parts.append(plural(hedges, "hedge"))
        parts.append(plural(quotes, "quote"))
        return parts.joined(separator: " · ")
    }
}
