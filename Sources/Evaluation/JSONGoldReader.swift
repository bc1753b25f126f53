import AnnotationModel
import JSON
import TextModel

/// Reads Scholia's own gold format: one JSON object per document, or an array of them.
///
/// ```json
/// {
///   "id": "seed-article",                 // optional; the file name otherwise
///   "text": "...",                        // the text, or:
///   "textFile": "seed.txt",               // a UTF-8 file, relative to the gold file's folder
///   "language": "ar",                     // optional; detected otherwise
///   "positionEncoding": "utf-32",         // optional: utf-32 (default), utf-16 or utf-8
///   "annotations": [
///     {"kind": "hedge", "start": 10, "end": 15, "text": "ربما", "attributes": {"category": "adverb"}},
///     {"id": "s1", "kind": "source", "start": 20, "end": 26},
///     {"kind": "quote", "start": 40, "end": 60, "links": [{"rel": "speaker", "target": "s1"}]}
///   ]
/// }
/// ```
///
/// `id` and `links` are optional: a quote's `speaker` link names the source that spoke it (scored as
/// quote → speaker links), and must name an annotation of the same document.
///
/// Offsets count Unicode code points by default (`utf-32`): what Python's `len` and slicing count,
/// what brat and most annotation tools write, and what `scholia annotate` prints by default, so a
/// gold file can be written by hand or by a script without a conversion step. `positionEncoding`
/// lets a file count UTF-16 code units (JavaScript, LSP clients) or UTF-8 bytes instead. An offset
/// that falls inside a character in that unit (half a surrogate pair, the middle of a UTF-8
/// sequence) is an error: it means the file was written in another unit than it says.
///
/// `text` of an annotation is optional; when given it must equal the text the offsets select, which
/// catches offsets written in the wrong unit. JSON values carry no line numbers, so errors past
/// parsing name the member (`annotations[3].end`); syntax errors name the line.
public struct JSONGoldReader: Sendable {
    public init() {}

    /// `loadText` reads a `textFile` member, given as written in the gold file.
    public func read(
        bytes: [UInt8], path: String,
        loadText: (String) throws(GoldError) -> (text: String, path: String)
    ) throws(GoldError) -> [GoldDocument] {
        let root: JSONValue
        do {
            root = try JSONParser().parse(bytes)
        } catch {
            throw GoldError(file: path, line: error.line, message: "invalid JSON: \(error.message)")
        }
        switch root {
        case .object:
            return [try document(root, path: path, where: "", loadText: loadText)]
        case .array(let items):
            var documents: [GoldDocument] = []
            for (index, item) in items.enumerated() {
                documents.append(try document(item, path: path, where: "[\(index)].", loadText: loadText))
            }
            return documents
        default:
            throw GoldError(file: path, line: 1, message: "expected a gold document object or an array of them, got \(root.typeName)")
        }
    }

    private func document(
        _ value: JSONValue, path: String, where prefix: String,
        loadText: (String) throws(GoldError) -> (text: String, path: String)
    ) throws(GoldError) -> GoldDocument {
        func fail(_ member: String, _ message: String) -> GoldError {
            GoldError(file: path, message: "\(prefix)\(member): \(message)")
        }
        guard case .object(let object) = value else { throw fail("", "expected an object, got \(value.typeName)") }

        let text: String
        var textPath: String?
        switch (object["text"], object["textFile"]) {
        case (.string(let inline)?, nil):
            text = inline
        case (nil, .string(let file)?):
            let loaded = try loadText(file)
            text = loaded.text
            textPath = loaded.path
        case (.some, .some):
            throw fail("text", "give either 'text' or 'textFile', not both")
        case (nil, nil):
            throw fail("text", "missing (give 'text' or 'textFile')")
        case (let t, let f):
            throw fail(t != nil ? "text" : "textFile", "expected a string, got \((t ?? f)!.typeName)")
        }

        var encoding = PositionEncoding.utf32
        if let member = object["positionEncoding"] {
            guard let name = member.stringValue, let parsed = PositionEncoding(rawValue: name.lowercased()) else {
                throw fail("positionEncoding", "expected \"utf-8\", \"utf-16\" or \"utf-32\", got \(member)")
            }
            encoding = parsed
        }
        var language: Language?
        if let member = object["language"] {
            guard let tag = member.stringValue, !tag.isEmpty else { throw fail("language", "expected a language tag such as \"en\" or \"ar\"") }
            language = Language(rawValue: tag)
        }
        var id = path
        if let member = object["id"] {
            guard let name = member.stringValue else { throw fail("id", "expected a string, got \(member.typeName)") }
            id = "\(path)#\(name)"
        } else if !prefix.isEmpty {
            id = "\(path)\(prefix.dropLast())"
        }

        guard let list = object["annotations"] else { throw fail("annotations", "missing (an empty array is fine)") }
        guard case .array(let items) = list else { throw fail("annotations", "expected an array, got \(list.typeName)") }
        let index = LineIndex(text)
        let total = index.length(in: encoding)
        var spans: [LabeledSpan] = []
        var fragmentsByID: [String: [Range<Int>]] = [:]
        var speakerLinks: [(span: Int, target: String, at: String)] = []
        for (number, item) in items.enumerated() {
            let at = "annotations[\(number)]"
            guard case .object(let annotation) = item else { throw fail(at, "expected an object, got \(item.typeName)") }
            guard let kindName = annotation["kind"]?.stringValue, !kindName.isEmpty else { throw fail("\(at).kind", "missing or not a string") }
            func offset(_ member: String) throws(GoldError) -> Int {
                guard let raw = annotation[member] else { throw fail("\(at).\(member)", "missing") }
                guard let value = raw.intValue else { throw fail("\(at).\(member)", "expected an integer, got \(raw)") }
                guard value >= 0, value <= total else {
                    throw fail("\(at).\(member)", "\(value) lies outside the text (\(total) \(encoding.rawValue) units)")
                }
                guard let utf8 = index.utf8Offset(from: value, in: encoding) else {
                    throw fail("\(at).\(member)", "\(value) falls inside a character in \(encoding.rawValue) units")
                }
                return utf8
            }
            let start = try offset("start")
            let end = try offset("end")
            guard start < end else { throw fail(at, "empty or reversed span (start must be less than end)") }
            let actual = substring(index.utf8, start..<end)
            if let given = annotation["text"] {
                guard let expected = given.stringValue else { throw fail("\(at).text", "expected a string, got \(given.typeName)") }
                if expected != actual {
                    throw fail("\(at).text", "'\(expected)' differs from the text at \(encoding.rawValue) offsets: '\(actual)'")
                }
            }
            var attributes: [String: AttributeValue] = [:]
            if let members = annotation["attributes"] {
                guard case .object(let attributeObject) = members else { throw fail("\(at).attributes", "expected an object") }
                for (name, value) in attributeObject {
                    guard let converted = Self.attribute(value) else {
                        throw fail("\(at).attributes.\(name)", "expected a string, number, boolean or array of them")
                    }
                    attributes[name] = converted
                }
            }
            if let member = annotation["id"] {
                guard let name = member.stringValue else { throw fail("\(at).id", "expected a string, got \(member.typeName)") }
                fragmentsByID[name] = [start..<end]
            }
            if let target = try Self.speakerTarget(of: annotation, at: at, fail: fail) {
                speakerLinks.append((spans.count, target, at))
            }
            spans.append(LabeledSpan(
                kind: AnnotationKind(kindName), range: start..<end, text: actual, attributes: attributes,
                origin: "\(path): \(prefix)\(at)"))
        }
        for link in speakerLinks {
            guard let speaker = fragmentsByID[link.target] else {
                throw fail("\(link.at).links", "speaker \(link.target) is no annotation of this document")
            }
            spans[link.span].speaker = speaker
        }
        return GoldDocument(id: id, textPath: textPath, text: text, language: language, spans: spans)
    }

    /// The target of an annotation's `speaker` link (`"links": [{"rel": "speaker", "target": "source-1"}]`),
    /// nil when it has none; a `links` member of the wrong shape is an error.
    static func speakerTarget(
        of annotation: JSONObject, at: String, fail: (String, String) -> GoldError
    ) throws(GoldError) -> String? {
        guard let member = annotation["links"] else { return nil }
        guard case .array(let links) = member else { throw fail("\(at).links", "expected an array, got \(member.typeName)") }
        for (index, link) in links.enumerated() {
            guard let rel = link["rel"]?.stringValue, let target = link["target"]?.stringValue else {
                throw fail("\(at).links[\(index)]", "expected {\"rel\": string, \"target\": string}")
            }
            if rel == AnnotationLink.speaker { return target }
        }
        return nil
    }

    static func attribute(_ value: JSONValue) -> AttributeValue? {
        switch value {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .integer(let i): return Int(exactly: i).map(AttributeValue.integer)
        case .real(let d): return .real(d)
        case .array(let items):
            var converted: [AttributeValue] = []
            for item in items {
                guard let value = attribute(item) else { return nil }
                converted.append(value)
            }
            return .list(converted)
        case .null, .object: return nil
        }
    }
}
