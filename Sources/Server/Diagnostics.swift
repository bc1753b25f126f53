import AnnotationModel
import JSON
import TextModel

/// Builds LSP diagnostics from annotations: `code` is the kind, `source` is "scholia", `data` is
/// the annotation without its kind and range (the `code` and `range`; offsets in the client's
/// encoding), the message says what the span is in
/// words a person reads in a hover or a problems list, and `relatedInformation` points at the
/// annotations it is linked to (a quote's speaker and cue, a cue's source and content, the quotes a
/// source spoke; not a source's cue, which its message names).
struct DiagnosticBuilder {
    let uri: String
    let encoder: AnnotationJSONWriter
    /// The severity of a kind, or nil when the user turned that kind's diagnostics off.
    let severity: (AnnotationKind) -> AnnotationSeverity?
    /// Which cues get a diagnostic.
    var cueDiagnostics = CueDiagnostics.unsourced

    func diagnostics(for annotations: [Annotation], graph: AnnotationGraph? = nil) -> [JSONValue] {
        let graph = graph ?? AnnotationGraph(annotations)
        return annotations.compactMap { annotation in
            guard let severity = severity(of: annotation) else { return nil }
            return diagnostic(for: annotation, severity: severity, graph: graph)
        }
    }

    /// The severity of an annotation's diagnostic, or nil when it has none.
    func severity(of annotation: Annotation) -> AnnotationSeverity? {
        cueDiagnostics.allows(annotation) ? severity(annotation.kind) : nil
    }

    /// One annotation's diagnostic.
    func diagnostic(for annotation: Annotation, severity: AnnotationSeverity, graph: AnnotationGraph) -> JSONValue {
        var object = JSONObject()
        object["range"] = encoder.range(annotation.range)
        object["severity"] = .integer(Int64(severity.rawValue))
        object["code"] = .string(annotation.kind.rawValue)
        object["source"] = "scholia"
        object["message"] = .string(Self.message(for: annotation, graph: graph))
        let related = graph.related(annotation)
        if !related.isEmpty {
            object["relatedInformation"] = .array(related.map { relation in
                [
                    "location": ["uri": .string(uri), "range": encoder.range(relation.annotation.range)],
                    "message": .string("\(relation.label): \(Self.display(relation.annotation))"),
                ]
            })
        }
        object["data"] = encoder.diagnosticData(annotation)
        return .object(object)
    }

    static func message(for annotation: Annotation, graph: AnnotationGraph) -> String {
        let text = quoted(annotation.text)
        switch annotation.kind {
        case .hedge:
            if let category = annotation.attributes["category"]?.stringValue {
                return "Hedge (\(category)): \(text)"
            }
            return "Hedge: \(text)"
        case .source:
            let label = sourceLabel(annotation)
            if let cue = graph.cue(ofSource: annotation) { return "\(label): \(text) (cue: \(cue.text))" }
            return "\(label): \(text)"
        case .cue:
            if let source = graph.target(of: annotation, AnnotationLink.source) {
                return "Attribution cue: \(text) (source: \(source.text))"
            }
            return "Attribution cue: \(text)"
        case .quote:
            let partial = annotation.attributes["partial"]?.boolValue == true
            let label = partial ? "Partial quote" : "Quote"
            if let speaker = graph.target(of: annotation, AnnotationLink.speaker) {
                return "\(label) — \(speaker.text): \(display(annotation))"
            }
            return "\(label) (no speaker named): \(display(annotation))"
        default:
            return "\(annotation.kind.rawValue.capitalized) (\(annotation.module)): \(text)"
        }
    }

    static func sourceLabel(_ annotation: Annotation) -> String {
        switch annotation.attributes["named"]?.boolValue {
        case true?: return "Named source"
        case false?: return "Unnamed source"
        case nil: return "Source"
        }
    }

    /// The text in curly quotes, shortened to a readable length (quotes can be paragraphs long).
    static func quoted(_ text: String, limit: Int = 80) -> String {
        "“\(shortened(text, limit: limit))”"
    }

    /// A quote shows its own marks; any other span is put in curly quotes.
    static func display(_ annotation: Annotation, limit: Int = 80) -> String {
        annotation.kind == .quote ? shortened(annotation.text, limit: limit) : quoted(annotation.text, limit: limit)
    }

    static func shortened(_ text: String, limit: Int = 80) -> String {
        // Most spans are short and on one line: no splitting, and no counting of a long quote's
        // characters to the end (its first `limit` tell whether it is longer).
        if text.utf8.count <= limit && !text.utf8.contains(where: { (0x0A...0x0D).contains($0) || $0 >= 0x80 }) {
            return text
        }
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.index(flat.startIndex, offsetBy: limit, limitedBy: flat.endIndex).map({ $0 < flat.endIndex }) == true
        else { return flat }
        return String(flat.prefix(limit - 1)) + "…"
    }
}

/// The links of one result in both directions: modules link a cue to its source and a quote to its
/// speaker, but an editor also asks the reverse (which cue introduces this source?).
struct AnnotationGraph: Sendable {
    struct Relation: Sendable {
        /// What the related annotation is to this one ("Speaker", "Cue", "Quote"...).
        var label: String
        var annotation: Annotation
    }

    let byID: [String: Annotation]
    /// For each annotation id, the annotations that link to it, with the link's rel.
    let incoming: [String: [(rel: String, from: Annotation)]]

    init(_ annotations: [Annotation]) {
        var incoming: [String: [(rel: String, from: Annotation)]] = [:]
        for annotation in annotations where !annotation.links.isEmpty {
            for link in annotation.links { incoming[link.target, default: []].append((link.rel, annotation)) }
        }
        // Only link targets are ever looked up by id: no index of every annotation.
        var byID: [String: Annotation] = [:]
        if !incoming.isEmpty {
            byID.reserveCapacity(incoming.count)
            for annotation in annotations where byID[annotation.id] == nil && incoming[annotation.id] != nil {
                byID[annotation.id] = annotation
            }
        }
        self.byID = byID
        self.incoming = incoming
    }

    func target(of annotation: Annotation, _ rel: String) -> Annotation? {
        annotation.link(rel).flatMap { byID[$0] }
    }

    /// The cue that names this source (cue → source link).
    func cue(ofSource source: Annotation) -> Annotation? {
        incoming[source.id]?.first { $0.rel == AnnotationLink.source && $0.from.kind == .cue }?.from
    }

    /// The cue of a quote: the quote's own `cue` link, else a cue whose `content` is the quote.
    func cue(ofQuote quote: Annotation) -> Annotation? {
        if let cue = target(of: quote, AnnotationLink.cue) { return cue }
        return incoming[quote.id]?.first { $0.rel == AnnotationLink.content }?.from
    }

    /// Every annotation linked to this one, either way, with a label that says what it is to it.
    func related(_ annotation: Annotation) -> [Relation] {
        var result: [Relation] = []
        var seen: Set<String> = [annotation.id]
        func add(_ label: String, _ other: Annotation?) {
            guard let other, seen.insert(other.id).inserted else { return }
            result.append(Relation(label: label, annotation: other))
        }
        for link in annotation.links { add(Self.label(forTarget: link.rel, kind: byID[link.target]?.kind), byID[link.target]) }
        if annotation.kind == .quote, let cue = cue(ofQuote: annotation) { add("Cue", cue) }
        for (rel, from) in incoming[annotation.id] ?? [] {
            // A source's cue is named in the source's message and sits beside it: a location for it
            // would repeat what the reader sees (an eighth of a news article's publish).
            if annotation.kind == .source && from.kind == .cue { continue }
            add(Self.label(forSource: rel, kind: from.kind), from)
        }
        return result
    }

    /// Every annotation reachable through links either way: a quote, its speaker and its cue.
    func component(of annotation: Annotation) -> [Annotation] {
        var seen: Set<String> = [annotation.id]
        var queue = [annotation]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            let neighbours = current.links.compactMap { byID[$0.target] } + (incoming[current.id] ?? []).map(\.from)
            for neighbour in neighbours where seen.insert(neighbour.id).inserted { queue.append(neighbour) }
        }
        return queue
    }

    static func label(forTarget rel: String, kind: AnnotationKind?) -> String {
        switch rel {
        case AnnotationLink.speaker: return "Speaker"
        case AnnotationLink.source: return "Source"
        case AnnotationLink.cue: return "Cue"
        case AnnotationLink.content: return "Content"
        default: return rel.capitalized
        }
    }

    /// The label of an annotation that links to this one by `rel`: the quote a speaker spoke, the
    /// cue that names a source.
    static func label(forSource rel: String, kind: AnnotationKind) -> String {
        switch (rel, kind) {
        case (AnnotationLink.speaker, _): return "Quote"
        case (_, .cue): return "Cue"
        case (_, .quote): return "Quote"
        default: return kind.rawValue.capitalized
        }
    }
}
