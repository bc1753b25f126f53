import AnnotationModel
import TextEngine

/// Marks direct quotations (kind `quote`, marks included) in English and Arabic, and links each to
/// who said it when the sources module, run first, found the cue and source that introduce it.
///
/// Attributes: `marks` (opening and closing mark as written, e.g. `“”`, `«»`, or only the opening
/// one when unclosed), `closed`, `nested`, `paragraphs`, `partial` (scare quotes: one or two
/// words that are not themselves an utterance), `language` (of the quoted words).
/// Links: `speaker` → the `source` annotation, `cue` → the `cue` annotation that introduces the
/// quote, `parent` → the quote a nested quote sits in.
public struct QuotationsAnnotator: Annotator {
    public static let name = "quotations"

    public let descriptor = ModuleDescriptor(
        name: QuotationsAnnotator.name,
        version: "1.0.0",
        description: "direct quotations in every common mark style, linked to their speaker and cue",
        kinds: [KindDescriptor(kind: .quote, defaultSeverity: .information)],
        languages: [.english, .arabic],
        runsAfter: ["sources"],
        // A quotation ends with its paragraph unless the next one continues it, and a speaker is
        // looked for in the previous sentence at most: paragraph-local, as incremental
        // re-annotation requires.
        scope: .paragraph)

    public init() {}

    /// What a quotation's attributes are made from. (The marks last: the synthesized `==` compares
    /// in this order, and two different non-ASCII marks compare in a slow call into the standard
    /// library, which the other fields often make needless.)
    struct AttributeKey: Equatable {
        var nested: Bool
        var paragraphs: Int
        var partial: Bool
        var language: Language
        var openingMark: String
        var closingMark: String?
    }

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        let quotations = request.quotations
        if quotations.isEmpty || request.isCancelled() { return [] }
        let linker = SpeakerLinker(utf8: request.utf8, quotations: quotations, prior: request.prior)
        let attributions = linker.attributions()
        let ids = quotations.map { Annotation.provisionalID(kind: .quote, range: $0.range) }

        var result: [Annotation] = []
        result.reserveCapacity(quotations.count)
        // Quotations of a text share a few attribute sets: each dictionary is built once. (Keys
        // and sets apart, compared in place: a list of pairs copied each pair to compare its key.)
        var attributeKeys: [AttributeKey] = []
        var attributeSets: [[String: AttributeValue]] = []
        // By index: `enumerated()` copied each quotation whole (its marks retained and released).
        for index in quotations.indices {
            let attribution = attributions[index]
            let parent = quotations[index].parent
            var links: [AnnotationLink] = []
            // Sized once: appended to from empty, the array grew twice for a quote with three links.
            let linkCount = (attribution.speaker == nil ? 0 : 1) + (attribution.cue == nil ? 0 : 1) + (parent == nil ? 0 : 1)
            if linkCount > 0 { links.reserveCapacity(linkCount) }
            if let speaker = attribution.speaker { links.append(AnnotationLink(rel: AnnotationLink.speaker, target: speaker)) }
            if let cue = attribution.cue { links.append(AnnotationLink(rel: AnnotationLink.cue, target: cue)) }
            if let parent { links.append(AnnotationLink(rel: "parent", target: ids[parent])) }
            let range = quotations[index].range
            let key = AttributeKey(
                nested: parent != nil, paragraphs: quotations[index].paragraphCount,
                // “Yes,” he said / he said: “No.” are one-word utterances, not scare quotes.
                partial: quotations[index].isShort && !attribution.standsAsUtterance,
                language: LanguageDetector.detect(request.utf8, in: quotations[index].contentRange),
                openingMark: quotations[index].openingMark, closingMark: quotations[index].closingMark)
            var known = 0
            while known < attributeKeys.count && attributeKeys[known] != key { known += 1 }
            if known == attributeKeys.count {
                if let first = attributeKeys.first {
                    // The first set with the attributes that differ replaced: a copy of its storage
                    // and a key hashed for each of those, where a new dictionary hashed all six.
                    var attributes = attributeSets[0]
                    if key.openingMark != first.openingMark || key.closingMark != first.closingMark {
                        attributes["marks"] = .string(key.openingMark + (key.closingMark ?? ""))
                    }
                    if (key.closingMark != nil) != (first.closingMark != nil) { attributes["closed"] = .bool(key.closingMark != nil) }
                    if key.nested != first.nested { attributes["nested"] = .bool(key.nested) }
                    if key.paragraphs != first.paragraphs { attributes["paragraphs"] = .integer(key.paragraphs) }
                    if key.partial != first.partial { attributes["partial"] = .bool(key.partial) }
                    if key.language != first.language { attributes["language"] = .string(key.language.rawValue) }
                    attributeSets.append(attributes)
                } else {
                    attributeSets.append([
                        "marks": .string(key.openingMark + (key.closingMark ?? "")),
                        "closed": .bool(key.closingMark != nil),
                        "nested": .bool(key.nested),
                        "paragraphs": .integer(key.paragraphs),
                        "partial": .bool(key.partial),
                        "language": .string(key.language.rawValue),
                    ])
                }
                attributeKeys.append(key)
            }
            result.append(Annotation(
                id: ids[index], module: descriptor.name, kind: .quote, range: range,
                text: request.text(in: range),
                attributes: attributeSets[known],
                links: links))
        }
        return result
    }
}
