import AnnotationModel
import JSON
import TextModel

/// Builds LSP diagnostics from annotations: `code` is the kind, `source` is "scholia", `data` is
/// the annotation itself (offsets in the client's encoding) and the message says what the span is
/// in words a person reads in a hover or a problems list.
struct DiagnosticBuilder {
    let encoder: AnnotationJSONEncoder
    let severities: [AnnotationKind: AnnotationSeverity]

    func diagnostics(for annotations: [Annotation]) -> [JSONValue] {
        let byID = Dictionary(annotations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A source does not point at its cue; the cue points at the source. Index the reverse.
        var cueOfSource: [String: Annotation] = [:]
        for annotation in annotations where annotation.kind == .cue {
            if let source = annotation.link(AnnotationLink.source), cueOfSource[source] == nil {
                cueOfSource[source] = annotation
            }
        }
        return annotations.map { annotation in
            var object = JSONObject()
            object["range"] = encoder.range(annotation.range)
            object["severity"] = .integer(Int64((severities[annotation.kind] ?? .information).rawValue))
            object["code"] = .string(annotation.kind.rawValue)
            object["source"] = "scholia"
            object["message"] = .string(Self.message(for: annotation, byID: byID, cueOfSource: cueOfSource))
            object["data"] = encoder.json(annotation)
            return .object(object)
        }
    }

    static func message(
        for annotation: Annotation, byID: [String: Annotation], cueOfSource: [String: Annotation]
    ) -> String {
        let text = quoted(annotation.text)
        switch annotation.kind {
        case .hedge:
            if let category = annotation.attributes["category"]?.stringValue {
                return "Hedge (\(category)): \(text)"
            }
            return "Hedge: \(text)"
        case .source:
            let named = annotation.attributes["named"]?.boolValue
            let label = named == true ? "Named source" : named == false ? "Unnamed source" : "Source"
            if let cue = cueOfSource[annotation.id] { return "\(label): \(text) (cue: \(cue.text))" }
            return "\(label): \(text)"
        case .cue:
            if let source = annotation.link(AnnotationLink.source).flatMap({ byID[$0] }) {
                return "Attribution cue: \(text) (source: \(source.text))"
            }
            return "Attribution cue: \(text)"
        case .quote:
            let partial = annotation.attributes["partial"]?.boolValue == true
            let label = partial ? "Partial quote" : "Quote"
            if let speaker = annotation.link(AnnotationLink.speaker).flatMap({ byID[$0] }) {
                return "\(label) — \(speaker.text): \(text)"
            }
            return "\(label) (no speaker named): \(text)"
        default:
            return "\(annotation.kind.rawValue.capitalized) (\(annotation.module)): \(text)"
        }
    }

    /// The text in curly quotes, shortened to a readable length (quotes can be paragraphs long).
    static func quoted(_ text: String, limit: Int = 80) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let inner = flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
        return "“\(inner)”"
    }
}
