import AnnotationModel
import JSON
import TextModel

/// Turns annotations into the wire's JSON, with offsets and ranges in the client's encoding.
/// The one place where the core's UTF-8 offsets become what a client counts.
public struct AnnotationJSONWriter: Sendable {
    public let lineIndex: LineIndex
    public let encoding: PositionEncoding

    public init(lineIndex: LineIndex, encoding: PositionEncoding) {
        self.lineIndex = lineIndex
        self.encoding = encoding
    }

    public func json(_ annotation: Annotation) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(annotation.id)
        object["module"] = .string(annotation.module)
        object["kind"] = .string(annotation.kind.rawValue)
        object["start"] = .integer(Int64(lineIndex.offset(fromUTF8: annotation.start, to: encoding)))
        object["end"] = .integer(Int64(lineIndex.offset(fromUTF8: annotation.end, to: encoding)))
        object["text"] = .string(annotation.text)
        object["range"] = range(annotation.range)
        object["attributes"] = Self.attributes(annotation.attributes)
        object["links"] = .array(annotation.links.map { ["rel": .string($0.rel), "target": .string($0.target)] })
        return .object(object)
    }

    public func json(_ annotations: [Annotation]) -> JSONValue { .array(annotations.map(json)) }

    /// The annotation as a diagnostic's `data`: `json(_:)` without `kind` and `range`, which the
    /// diagnostic carries already as its `code` and `range` (sent twice, they were an eighth of
    /// every publish).
    public func diagnosticData(_ annotation: Annotation) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(annotation.id)
        object["module"] = .string(annotation.module)
        object["start"] = .integer(Int64(lineIndex.offset(fromUTF8: annotation.start, to: encoding)))
        object["end"] = .integer(Int64(lineIndex.offset(fromUTF8: annotation.end, to: encoding)))
        object["text"] = .string(annotation.text)
        object["attributes"] = Self.attributes(annotation.attributes)
        object["links"] = .array(annotation.links.map { ["rel": .string($0.rel), "target": .string($0.target)] })
        return .object(object)
    }

    /// An LSP `Range` for a UTF-8 range.
    public func range(_ range: Range<Int>) -> JSONValue {
        Self.json(lineIndex.range(ofUTF8: range, in: encoding))
    }

    public static func json(_ range: TextRange) -> JSONValue {
        ["start": json(range.start), "end": json(range.end)]
    }

    public static func json(_ position: TextPosition) -> JSONValue {
        ["line": .integer(Int64(position.line)), "character": .integer(Int64(position.character))]
    }

    /// Attributes in name order, so output is stable from run to run.
    public static func attributes(_ attributes: [String: AttributeValue]) -> JSONValue {
        var object = JSONObject()
        for key in attributes.keys.sorted() { object[key] = json(attributes[key]!) }
        return .object(object)
    }

    public static func json(_ value: AttributeValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(s)
        case .integer(let i): return .integer(Int64(i))
        case .real(let d): return .real(d)
        case .bool(let b): return .bool(b)
        case .list(let items): return .array(items.map(json))
        }
    }
}
