import AnnotationModel
import JSON
import TextEngine
import JSONRPC
import Synchronization
import TextModel

/// Pre-serialized diagnostics, so a keystroke does not rebuild and re-serialize every diagnostic of
/// the document.
///
/// A diagnostic's JSON (made by `DiagnosticBuilder`, serialized by jansson) depends on the
/// annotation, its related annotations and where they are. Most of that survives an edit elsewhere;
/// what moves is the numbers that count from the start of the document (line numbers, `data.start`
/// and `data.end`) and the ids (numbered in document order, so one new annotation renumbers every
/// later one). So each diagnostic is serialized once with sentinel numbers in those places, the
/// output cut at the sentinels into a template, and the template kept under a key of everything
/// else it depends on (`DiagnosticShape`: positions relative to its own first line). A publish
/// looks each diagnostic up and splices the current numbers and ids into its template; only new
/// shapes go through jansson. Ids go in as jansson writes them (`DiagnosticFragments.idBytes`).
final class DiagnosticFragmentCache: Sendable {
    let uri: String
    private let entries = Mutex<[DiagnosticShape: DiagnosticTemplate]>([:])

    init(uri: String) { self.uri = uri }

    var count: Int { entries.withLock { $0.count } }

    /// What the last publish wrote, per annotation, so the next one can copy what an edit did not
    /// touch: the annotations before the first changed byte come out byte for byte the same, and
    /// those after the change, when their line is not the edited one, differ only in their slots.
    struct Published {
        var generation: Int
        var version: Int
        var encoding: PositionEncoding
        var lineIndex: LineIndex
        var annotations: [Annotation]
        var body: [UInt8]
        /// Per annotation: its diagnostic's bytes in `body` (empty when it has none or is linked),
        /// its template (nil when none or not templated), and where its slots start in `slots`.
        var byteRanges: [Range<Int>]
        var templates: [DiagnosticTemplate?]
        var slotStarts: [Int]
        var slots: [Int]
    }

    private let published = Mutex<Published?>(nil)

    /// The whole `textDocument/publishDiagnostics` message body, as compact JSON.
    func publishBody(
        version: Int, annotations: [Annotation], graph: AnnotationGraph, lineIndex: LineIndex,
        encoding: PositionEncoding, generation: Int = 0,
        severity: @escaping (AnnotationKind) -> AnnotationSeverity?
    ) -> [UInt8] {
        let builder = DiagnosticBuilder(
            uri: uri, encoder: AnnotationJSONWriter(lineIndex: lineIndex, encoding: encoding), severity: severity)
        let known = entries.withLock { $0 }
        let previous = published.withLock { $0 }.flatMap { previous in
            previous.generation == generation && previous.encoding == encoding ? previous : nil
        }
        var added: [DiagnosticShape: DiagnosticTemplate] = [:]
        var used = 0
        let envelope = DiagnosticFragments.envelope(uri: uri, version: version)
        var out = envelope.head
        out.reserveCapacity(out.count + (previous?.body.count ?? annotations.count * 600) + 4096)
        var first = true
        var slots: [Int] = []
        var ids: [String] = []
        var record = Published(
            generation: generation, version: version, encoding: encoding, lineIndex: lineIndex,
            annotations: annotations, body: [], byteRanges: [], templates: [], slotStarts: [], slots: [])
        record.byteRanges.reserveCapacity(annotations.count)
        record.templates.reserveCapacity(annotations.count)
        record.slotStarts.reserveCapacity(annotations.count)
        record.slots.reserveCapacity(annotations.count * 6)

        // Where the text changed since the previous publish, and how things after it moved.
        var prefixEnd = -1  // annotations below this index are equal to the previous ones and end before the change
        var suffixStart = Int.max  // annotations from this index on are the previous ones, shifted
        var indexShift = 0, byteShift = 0, lineShift = 0, unitShift = 0
        if let previous {
            let (common, commonEnd) = Paragraphs.commonEnds(previous.lineIndex.utf8, lineIndex.utf8)
            let changedEnd = lineIndex.utf8.count - commonEnd
            var i = 0
            let limit = min(annotations.count, previous.annotations.count)
            while i < limit && annotations[i].end < common && annotations[i] == previous.annotations[i] { i += 1 }
            prefixEnd = i
            indexShift = annotations.count - previous.annotations.count
            byteShift = lineIndex.utf8.count - previous.lineIndex.utf8.count
            lineShift = lineIndex.lineCount - previous.lineIndex.lineCount
            unitShift = lineIndex.length(in: encoding) - previous.lineIndex.length(in: encoding)
            // Positions keep their characters from the line after the changed one on. Ids may have
            // been renumbered (an annotation added before): they are slots, written anew.
            let changedLine = lineIndex.line(containing: changedEnd)
            let safeStart = changedLine + 1 < lineIndex.lineCount ? lineIndex.lineStarts[changedLine + 1] : Int.max
            var j = annotations.count - 1
            while j >= max(prefixEnd, 0) && j - indexShift >= max(prefixEnd, 0) {
                let now = annotations[j], before = previous.annotations[j - indexShift]
                guard now.start >= safeStart, now.start - byteShift == before.start, now.end - byteShift == before.end,
                    now.kind == before.kind, now.module == before.module,
                    now.links == before.links, now.attributes == before.attributes,
                    now.text.utf8.elementsEqual(before.text.utf8)
                else { break }
                j -= 1
            }
            suffixStart = j + 1
        }

        // A run of bytes of the previous body being copied (contiguous diagnostics, commas between).
        var run: Range<Int>? = nil
        func flush() {
            if let pending = run, let previous {
                out.append(contentsOf: previous.body[pending])
                run = nil
            }
        }
        for (index, annotation) in annotations.enumerated() {
            guard let level = severity(annotation.kind) else {
                record.byteRanges.append(0..<0)
                record.templates.append(nil)
                record.slotStarts.append(-1)
                continue
            }
            used += 1
            let linked = !annotation.links.isEmpty || graph.incoming[annotation.id] != nil
            if !linked, let previous, index < prefixEnd, !previous.byteRanges[index].isEmpty {
                // Unchanged, before the edit: the same bytes as last time.
                let range = previous.byteRanges[index]
                if !first {
                    if let pending = run, pending.upperBound + 1 == range.lowerBound {
                        run = pending.lowerBound..<range.upperBound
                    } else {
                        flush()
                        out.append(UInt8(ascii: ","))
                        run = range
                    }
                } else {
                    run = range
                }
                first = false
                // Its place in this body: where the run puts it.
                let at = out.count + (run!.upperBound - run!.lowerBound) - range.count
                record.byteRanges.append(at..<(at + range.count))
                record.templates.append(previous.templates[index])
                let start = previous.slotStarts[index]
                record.slotStarts.append(start < 0 ? -1 : record.slots.count)
                if start >= 0, let template = previous.templates[index] {
                    record.slots.append(contentsOf: previous.slots[start..<(start + template.slotCount)])
                }
                continue
            }
            flush()
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let begin = out.count
            if !linked, let previous, index >= suffixStart, let template = previous.templates[index - indexShift],
                previous.slotStarts[index - indexShift] >= 0
            {
                // Unchanged but moved: last time's slots, shifted.
                let start = previous.slotStarts[index - indexShift]
                slots.removeAll(keepingCapacity: true)
                slots.append(contentsOf: previous.slots[start..<(start + template.slotCount)])
                for k in [0, 1, 4, 5] where k < slots.count { slots[k] += lineShift }
                if slots.count > 3 {
                    slots[2] += unitShift
                    slots[3] += unitShift
                }
                ids.removeAll(keepingCapacity: true)
                ids.append(annotation.id)
                template.render(slots: slots, ids: ids, into: &out)
                record.byteRanges.append(begin..<out.count)
                record.templates.append(template)
                record.slotStarts.append(record.slots.count)
                record.slots.append(contentsOf: slots)
                continue
            }
            let shape = DiagnosticShape(
                annotation, severity: level, graph: graph, lineIndex: lineIndex, encoding: encoding,
                slots: &slots, ids: &ids)
            var template = known[shape] ?? added[shape]
            if template == nil {
                template = DiagnosticTemplate(
                    builder.diagnostic(for: annotation, severity: level, graph: graph), slotCount: slots.count)
                added[shape] = template
            }
            if let template = template!.parts.isEmpty ? nil : template {
                template.render(slots: slots, ids: ids, into: &out)
                record.templates.append(linked ? nil : template)
                record.slotStarts.append(linked ? -1 : record.slots.count)
                if !linked { record.slots.append(contentsOf: slots) }
            } else {
                // Sentinels clash with the text: serialized whole, not cached.
                out.append(contentsOf: DiagnosticFragments.serializer.serialize(
                    builder.diagnostic(for: annotation, severity: level, graph: graph)))
                record.templates.append(nil)
                record.slotStarts.append(-1)
            }
            record.byteRanges.append(linked ? 0..<0 : begin..<out.count)
        }
        flush()
        out.append(contentsOf: envelope.tail)
        if !added.isEmpty || known.count > 2 * used + 1024 {
            entries.withLock { entries in
                entries.merge(added) { old, _ in old }
                // Shapes of earlier versions pile up; start over when they outnumber the live ones.
                if entries.count > 4 * used + 1024 { entries = added }
            }
        }
        record.body = out
        published.withLock { published in
            if published == nil || published!.version <= version { published = record }
        }
        return out
    }
}

/// Everything a diagnostic's JSON depends on except the template's slots (line numbers, offsets
/// from the document start, ids), which `init` writes into `slots` and `ids` in a fixed order.
struct DiagnosticShape: Hashable {
    struct Related: Hashable {
        var label: String
        var kind: AnnotationKind
        var text: Bytes
        var range: TextRange
    }

    /// A string compared and hashed by its UTF-8 bytes: what is written is the bytes (String's
    /// own `==` would take canonically equivalent texts for equal), and it is faster on non-ASCII.
    struct Bytes: Hashable {
        var string: String
        init(_ string: String) { self.string = string }
        init?(_ string: String?) {
            guard let string else { return nil }
            self.string = string
        }

        static func == (a: Bytes, b: Bytes) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }

        func hash(into hasher: inout Hasher) {
            var string = string
            string.withUTF8 { bytes in
                hasher.combine(bytes.count)
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            }
        }
    }

    var kind: AnnotationKind
    var module: String
    var text: Bytes
    var attributes: [String: AttributeValue]
    var linkRels: [String]
    var severity: AnnotationSeverity
    /// Lines relative to the annotation's first line.
    var range: TextRange
    /// The text of the annotation the message names (a source's cue, a cue's source, a quote's speaker).
    var named: Bytes?
    var related: [Related]

    /// Slot order: range start line, range end line, data.start, data.end, data.range start line,
    /// data.range end line, each related range's start and end lines; ids: data.id, then each
    /// link target.
    init(
        _ annotation: Annotation, severity: AnnotationSeverity, graph: AnnotationGraph, lineIndex: LineIndex,
        encoding: PositionEncoding, slots: inout [Int], ids: inout [String]
    ) {
        let absolute = lineIndex.range(ofUTF8: annotation.range, in: encoding)
        let base = absolute.start.line
        slots.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        slots.append(absolute.start.line)
        slots.append(absolute.end.line)
        slots.append(lineIndex.offset(fromUTF8: annotation.start, to: encoding))
        slots.append(lineIndex.offset(fromUTF8: annotation.end, to: encoding))
        slots.append(absolute.start.line)
        slots.append(absolute.end.line)
        ids.append(annotation.id)
        for link in annotation.links { ids.append(link.target) }
        kind = annotation.kind
        module = annotation.module
        text = Bytes(annotation.text)
        attributes = annotation.attributes
        linkRels = annotation.links.map(\.rel)
        self.severity = severity
        range = Self.relative(absolute, to: base)
        switch annotation.kind {
        case .source: named = Bytes(graph.cue(ofSource: annotation)?.text)
        case .cue: named = Bytes(graph.target(of: annotation, AnnotationLink.source)?.text)
        case .quote: named = Bytes(graph.target(of: annotation, AnnotationLink.speaker)?.text)
        default: named = nil
        }
        related = graph.related(annotation).map { relation in
            let range = lineIndex.range(ofUTF8: relation.annotation.range, in: encoding)
            slots.append(range.start.line)
            slots.append(range.end.line)
            return Related(
                label: relation.label, kind: relation.annotation.kind, text: Bytes(relation.annotation.text),
                range: Self.relative(range, to: base))
        }
    }

    /// A cheap hash of the parts that tell shapes apart most (`==` still compares everything).
    func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(range)
        hasher.combine(kind)
        hasher.combine(severity)
        hasher.combine(related.count)
        hasher.combine(named)
    }

    static func relative(_ range: TextRange, to line: Int) -> TextRange {
        TextRange(
            start: TextPosition(line: range.start.line - line, character: range.start.character),
            end: TextPosition(line: range.end.line - line, character: range.end.character))
    }
}

/// A diagnostic's compact JSON cut where the slots go: `parts.count == order.count + 1`. Empty
/// `parts` when the sentinels could not be found exactly once each (the diagnostic is then
/// serialized whole every time).
struct DiagnosticTemplate: Sendable {
    enum Slot: Sendable {
        case number(Int)
        case id(Int)
    }

    var parts: [[UInt8]]
    var order: [Slot]
    /// How many numbers the slots take (ids not counted).
    var slotCount = 0

    /// `diagnostic` as `DiagnosticBuilder` makes it; `slotCount` numbers (see `DiagnosticShape`).
    init(_ diagnostic: JSONValue, slotCount: Int) {
        var slotIndex = 0
        var idIndex = 0
        var sentinels: [(bytes: [UInt8], slot: Slot)] = []
        func sentinel(_ slot: Slot) -> JSONValue {
            let value = DiagnosticFragments.sentinelBase - Int64(sentinels.count)
            sentinels.append((Array(String(value).utf8), slot))
            return .integer(value)
        }
        func number() -> JSONValue {
            defer { slotIndex += 1 }
            return sentinel(.number(slotIndex))
        }
        func id() -> JSONValue {
            defer { idIndex += 1 }
            return sentinel(.id(idIndex))
        }
        func lines(_ range: JSONValue?) -> JSONValue? {
            guard var range = range?.objectValue, var start = range["start"]?.objectValue,
                var end = range["end"]?.objectValue
            else { return range }
            start["line"] = number()
            end["line"] = number()
            range["start"] = .object(start)
            range["end"] = .object(end)
            return .object(range)
        }
        guard var object = diagnostic.objectValue, var data = object["data"]?.objectValue else {
            parts = []
            order = []
            return
        }
        object["range"] = lines(object["range"])
        data["start"] = number()
        data["end"] = number()
        data["range"] = lines(data["range"])
        data["id"] = id()
        if let links = data["links"]?.arrayValue {
            data["links"] = .array(links.map { link in
                guard var link = link.objectValue else { return link }
                link["target"] = id()
                return .object(link)
            })
        }
        if let related = object["relatedInformation"]?.arrayValue {
            object["relatedInformation"] = .array(related.map { item in
                guard var item = item.objectValue, var location = item["location"]?.objectValue else { return item }
                location["range"] = lines(location["range"])
                item["location"] = .object(location)
                return .object(item)
            })
        }
        object["data"] = .object(data)
        let bytes = DiagnosticFragments.serializer.serialize(.object(object))
        guard slotIndex == slotCount, let cut = Self.cut(bytes, at: sentinels) else {
            parts = []
            order = []
            return
        }
        parts = cut.parts
        order = cut.order
        self.slotCount = slotCount
    }

    /// Splits `bytes` at each sentinel, which must occur exactly once.
    static func cut(_ bytes: [UInt8], at sentinels: [(bytes: [UInt8], slot: Slot)]) -> (parts: [[UInt8]], order: [Slot])? {
        var found: [(at: Int, length: Int, slot: Slot)] = []
        for sentinel in sentinels {
            var hits = 0
            var at = 0
            var i = 0
            let needle = sentinel.bytes
            while i + needle.count <= bytes.count {
                if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    hits += 1
                    at = i
                    i += needle.count
                } else {
                    i += 1
                }
            }
            guard hits == 1 else { return nil }
            found.append((at, needle.count, sentinel.slot))
        }
        found.sort { $0.at < $1.at }
        var parts: [[UInt8]] = []
        var position = 0
        for hit in found {
            parts.append(Array(bytes[position..<hit.at]))
            position = hit.at + hit.length
        }
        parts.append(Array(bytes[position...]))
        return (parts, found.map(\.slot))
    }

    func render(slots: [Int], ids: [String], into out: inout [UInt8]) {
        for (index, slot) in order.enumerated() {
            out.append(contentsOf: parts[index])
            switch slot {
            case .number(let i): DiagnosticFragments.appendDecimal(slots[i], to: &out)
            case .id(let i): DiagnosticFragments.appendID(ids[i], to: &out)
            }
        }
        out.append(contentsOf: parts[order.count])
    }
}

enum DiagnosticFragments {
    static let serializer = JSONSerializer()
    /// Sentinels count down from here; all have the same number of digits, so none is a prefix of another.
    static let sentinelBase: Int64 = -876_543_210_987_000_000

    /// The notification around the diagnostics array, cut where the array goes.
    static func envelope(uri: String, version: Int) -> (head: [UInt8], tail: [UInt8]) {
        let message = Message.notification(
            method: "textDocument/publishDiagnostics",
            params: ["uri": .string(uri), "version": .integer(Int64(version)), "diagnostics": .integer(sentinelBase)])
        let bytes = serializer.serialize(message.json)
        let needle = Array(String(sentinelBase).utf8)
        // The uri is a JSON string, so the sentinel can only be found once, at the array's place:
        // searched from the end, where `diagnostics` is.
        var i = bytes.count - needle.count
        while i >= 0 && !bytes[i..<(i + needle.count)].elementsEqual(needle) { i -= 1 }
        precondition(i >= 0, "publishDiagnostics envelope without its sentinel")
        return (Array(bytes[..<i]) + [UInt8(ascii: "[")], [UInt8(ascii: "]")] + Array(bytes[(i + needle.count)...]))
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            out.append(contentsOf: String(value).utf8)
        }
    }

    /// An id as a JSON string. Ids are ASCII names (`quote-12`), which JSON writes as they are; any
    /// other goes through jansson.
    static func appendID(_ id: String, to out: inout [UInt8]) {
        var plain = true
        for byte in id.utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: "/")
        {
            plain = false
            break
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: id.utf8)
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: serializer.serialize(.string(id)))
        }
    }
}
