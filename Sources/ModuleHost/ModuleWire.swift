import AnnotationModel
import JSON

/// The units a module counts offsets in. The host converts to UTF-8 bytes, the pipeline's unit.
public enum ModulePositionEncoding: String, Sendable, Hashable {
    /// Bytes of the UTF-8 text (C strings, Rust `&str`, Go strings).
    case utf8 = "utf-8"
    /// Code points (Python `str`, Ruby strings).
    case utf32 = "utf-32"
}

/// The JSON a custom module (process or native) exchanges with the host, both ways.
enum ModuleWire {
    static func annotateParams(_ request: AnnotationRequest) -> JSONValue {
        var params = JSONObject([("text", .string(request.text)), ("language", .string(request.language.rawValue))])
        if !request.options.isEmpty {
            params["options"] = .object(JSONObject(request.options.sorted { $0.key < $1.key }.map { key, values in
                (key, .array(values.map { .string($0) }))
            }))
        }
        return .object(params)
    }

    /// Reads a module's describe/initialize answer into a descriptor (checked against the manifest
    /// by the caller).
    static func descriptor(from json: JSONValue, path: String) throws(ManifestError) -> ModuleDescriptor {
        var object = json.objectValue ?? JSONObject()
        // A description need not repeat what runs the module; the manifest parser insists on one.
        object["command"] = ["-"]
        object["rules"] = nil
        object["library"] = nil
        if object["version"] == nil { object["version"] = "0" }
        return try ModuleManifest.parse(.object(object), path: path).descriptor
    }

    /// Converts a module's `{annotations: [...]}` into annotations in UTF-8 offsets. Entries that are
    /// not annotations at all are skipped and described in `problems`; spans are converted as they
    /// are, so that the pipeline refuses those outside the text with its own reason.
    static func annotations(
        from result: JSONValue, request: AnnotationRequest, module: String, encoding: ModulePositionEncoding
    ) throws -> (annotations: [Annotation], problems: [String]) {
        guard let object = result.objectValue else {
            throw AnnotatorError("module \(module) answered \(result.typeName) instead of an object with 'annotations'")
        }
        if let message = object["error"]?.stringValue { throw AnnotatorError("module \(module) reported: \(message)") }
        guard let items = object["annotations"]?.arrayValue else {
            throw AnnotatorError("module \(module) answered without an 'annotations' array")
        }
        let offsets = encoding == .utf32 ? ScalarOffsets(request.utf8) : nil
        var annotations: [Annotation] = []
        var problems: [String] = []
        var localIDs: [String: String] = [:]
        var pendingLinks: [(index: Int, links: [(rel: String, target: String)])] = []
        for (index, item) in items.enumerated() {
            guard let entry = item.objectValue else {
                problems.append("annotations[\(index)]: expected an object, got \(item.typeName)")
                continue
            }
            guard let kind = entry["kind"]?.stringValue, !kind.isEmpty else {
                problems.append("annotations[\(index)]: missing 'kind'")
                continue
            }
            guard let start = entry["start"]?.intValue, let end = entry["end"]?.intValue else {
                problems.append("annotations[\(index)]: 'start' and 'end' must be integers")
                continue
            }
            guard start <= end else {
                problems.append("annotations[\(index)]: start \(start) is after end \(end)")
                continue
            }
            let range = offsets.map { $0.utf8Offset(start)..<$0.utf8Offset(end) } ?? start..<end
            var attributes: [String: AttributeValue] = [:]
            for (key, value) in entry["attributes"]?.objectValue ?? JSONObject() {
                if let converted = attributeValue(value) { attributes[key] = converted }
            }
            var annotation = Annotation(module: module, kind: AnnotationKind(kind), range: range, text: "", attributes: attributes)
            // A module's own ids are local to its answer; prefixing keeps them apart from other modules'.
            if let id = entry["id"]?.stringValue {
                let unique = "\(module)#\(id)"
                localIDs[id] = unique
                annotation.id = unique
            }
            let links = (entry["links"]?.arrayValue ?? []).compactMap { link -> (rel: String, target: String)? in
                guard let rel = link["rel"]?.stringValue, let target = link["target"]?.stringValue else { return nil }
                return (rel, target)
            }
            if !links.isEmpty { pendingLinks.append((annotations.count, links)) }
            annotations.append(annotation)
        }
        for (index, links) in pendingLinks {
            annotations[index].links = links.compactMap { link in
                localIDs[link.target].map { AnnotationLink(rel: link.rel, target: $0) }
            }
        }
        return (annotations, problems)
    }

    static func attributeValue(_ json: JSONValue) -> AttributeValue? {
        switch json {
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .integer(let i): return Int(exactly: i).map { .integer($0) }
        case .real(let d): return .real(d)
        case .array(let items): return .list(items.compactMap(attributeValue))
        default: return nil
        }
    }
}

/// Code point index → UTF-8 offset for one text.
struct ScalarOffsets {
    /// The UTF-8 offset of each code point, and the text's length at the end.
    private let starts: [Int]

    init(_ utf8: [UInt8]) {
        var starts: [Int] = []
        starts.reserveCapacity(utf8.count + 1)
        for (offset, byte) in utf8.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
        starts.append(utf8.count)
        self.starts = starts
    }

    /// Offsets past the end map past the end by as much, so the pipeline still sees them as outside.
    func utf8Offset(_ scalarIndex: Int) -> Int {
        if scalarIndex < 0 { return scalarIndex }
        if scalarIndex < starts.count { return starts[scalarIndex] }
        return starts[starts.count - 1] + (scalarIndex - (starts.count - 1))
    }
}
