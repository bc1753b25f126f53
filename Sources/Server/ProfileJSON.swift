import AnnotationModel
import JSON

/// The wire form of a `DocumentProfile` (protocol.md, `scholia/profile`), shared by the server and
/// `scholia annotate --profile`.
public enum ProfileJSON {
    public static func json(_ profile: DocumentProfile) -> JSONValue {
        func rate(_ count: Int) -> JSONValue {
            // Two decimals are plenty for a rate per 1,000 words and keep the output stable.
            .real((profile.perThousandWords(count) * 100).rounded() / 100)
        }
        var categories = JSONObject()
        for (category, count) in profile.hedgesByCategory.sorted(by: { $0.key < $1.key }) {
            categories[category] = .integer(Int64(count))
        }
        return [
            "summary": .string(profile.summary),
            "words": JSONValue(profile.words),
            "sources": [
                "total": JSONValue(profile.sources), "named": JSONValue(profile.namedSources),
                "unnamed": JSONValue(profile.unnamedSources), "other": JSONValue(profile.otherSources),
                "perThousandWords": rate(profile.sources),
            ],
            "cues": ["total": JSONValue(profile.cues), "perThousandWords": rate(profile.cues)],
            "hedges": [
                "total": JSONValue(profile.hedges), "perThousandWords": rate(profile.hedges),
                "byCategory": .object(categories),
            ],
            "quotes": [
                "total": JSONValue(profile.quotes), "withSpeaker": JSONValue(profile.quotesWithSpeaker),
                "withoutSpeaker": JSONValue(profile.quotesWithoutSpeaker),
            ],
            "distinctSources": .array(profile.distinctSources.map { entry in
                var object: JSONObject = ["text": .string(entry.text), "mentions": JSONValue(entry.mentions)]
                object["named"] = entry.named.map(JSONValue.bool) ?? .null
                if let type = entry.type { object["type"] = .string(type) }
                return .object(object)
            }),
        ]
    }
}
