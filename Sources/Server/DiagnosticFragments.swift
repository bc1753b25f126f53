import AnnotationModel
import Foundation
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
    /// A linked annotation is reused only when everything it is linked to (either way) is reused
    /// with it, in this publish and in the last (`LinkSpans`).
    struct Published {
        var generation: Int
        var version: Int
        var encoding: PositionEncoding
        var lineIndex: LineIndex
        /// Empty once released (`releaseAnnotations`): then only `annotationCount` is known, and
        /// the next publish reuses what the incremental run says it kept.
        var annotations: [Annotation]
        var annotationCount: Int
        var annotationsReleased = false
        var links: LinkSpans
        var body: [UInt8]
        /// Per annotation: its diagnostic's bytes in `body` (empty when it has none), its template
        /// (nil when none or not templated), and where its slots start in `slots` (-1: none).
        var byteRanges: [Range<Int>]
        var templates: [DiagnosticTemplate?]
        var slotStarts: [Int]
        var slots: [Int]
        /// Per annotation: where the digits of `data.start` begin in its bytes (-1: not known).
        var startDigits: [Int32] = []
        /// The analysis these annotations are (nil: not known).
        var token: AnalysisToken? = nil
    }

    private let published = Mutex<Published?>(nil)

    /// Lets go of the last publish's annotations when they are those of the analysis `token`, so
    /// that an incremental run starting from that analysis can change their array in place. The
    /// next publish then trusts what the run says it kept (`Continuity`) instead of comparing with
    /// them, and without that starts afresh.
    func releaseAnnotations(of token: AnalysisToken) {
        published.withLock { published in
            guard published?.token === token else { return }
            published?.annotations = []
            published?.annotationsReleased = true
        }
    }
    /// The body before the last, to write the next one into (a megabyte buffer is not asked of the
    /// allocator, and its pages are not faulted in again, on every keystroke).
    private let spare = Mutex<[UInt8]>([])

    /// The whole `textDocument/publishDiagnostics` message body, as compact JSON. `graph` is the
    /// annotations' graph when the caller has it; without it only the part of the document whose
    /// diagnostics are built anew gets one.
    func publishBody(
        version: Int, annotations: [Annotation], links: LinkSpans? = nil, token: AnalysisToken? = nil,
        continuity: Continuity? = nil, commonEnds: (version: Int, prefix: Int, suffix: Int)? = nil,
        graph: AnnotationGraph? = nil,
        lineIndex: LineIndex,
        encoding: PositionEncoding, generation: Int = 0,
        severity: @escaping (AnnotationKind) -> AnnotationSeverity?, cueDiagnostics: CueDiagnostics = .unsourced
    ) -> [UInt8] {
        let builder = DiagnosticBuilder(
            uri: uri, encoder: AnnotationJSONWriter(lineIndex: lineIndex, encoding: encoding), severity: severity,
            cueDiagnostics: cueDiagnostics)
        // Taken out of the cache while this publish uses it, so that adding shapes to it does not copy
        // it (a copy of every entry, on each keystroke that makes a new shape). A publish running at
        // the same time finds it empty and builds its diagnostics; the cache is only ever a saving.
        var known = entries.withLock { entries in
            defer { entries = [:] }
            return entries
        }
        let previous = published.withLock { $0 }.flatMap { previous in
            previous.generation == generation && previous.encoding == encoding
                && (!previous.annotationsReleased || (previous.token != nil && continuity?.from === previous.token))
                ? previous : nil
        }
        let links = links ?? LinkSpans(annotations)
        var used = 0
        let envelope = DiagnosticFragments.envelope(uri: uri, version: version)
        var out = spare.withLock { spare in
            defer { spare = [] }
            return spare
        }
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(envelope.head.count + (previous?.body.count ?? annotations.count * 600) + 4096)
        out.append(contentsOf: envelope.head)
        var first = true
        var slots: [Int] = []
        var ids: [String] = []
        var record = Published(
            generation: generation, version: version, encoding: encoding, lineIndex: lineIndex,
            annotations: annotations, annotationCount: annotations.count, links: links, body: [], byteRanges: [],
            templates: [], slotStarts: [],
            slots: [])
        record.byteRanges.reserveCapacity(annotations.count)
        record.templates.reserveCapacity(annotations.count)
        record.slotStarts.reserveCapacity(annotations.count)
        record.startDigits.reserveCapacity(annotations.count)
        record.token = token
        record.slots.reserveCapacity(previous?.slots.count ?? annotations.count * 7)

        // Where the text changed since the previous publish, and how things after it moved.
        var prefixEnd = 0  // annotations below this index are equal to the previous ones and end before the change
        var suffixStart = annotations.count  // annotations from this index on are the previous ones, shifted
        var indexShift = 0, lineShift = 0, unitShift = 0
        // From this index on, the ids and link targets are known to be the previous ones.
        var idsKeptFrom = Int.max
        if let previous {
            // The caller may know them already (`commonEnds`, against the text of a version).
            let (common, commonEnd) = commonEnds.flatMap { ends in
                ends.version == previous.version ? (ends.prefix, ends.suffix) : nil
            } ?? Paragraphs.commonEnds(previous.lineIndex.utf8, lineIndex.utf8)
            let changedEnd = lineIndex.utf8.count - commonEnd
            let byteShift = lineIndex.utf8.count - previous.lineIndex.utf8.count
            indexShift = annotations.count - previous.annotationCount
            lineShift = lineIndex.lineCount - previous.lineIndex.lineCount
            unitShift = lineIndex.length(in: encoding) - previous.lineIndex.length(in: encoding)
            // Positions keep their characters from the line after the changed one on. Ids may have
            // been renumbered (an annotation added before): they are slots, written anew; links
            // must lead to the same annotations, shifted.
            let changedLine = lineIndex.line(containing: changedEnd)
            let safeStart = changedLine + 1 < lineIndex.lineCount ? lineIndex.lineStarts[changedLine + 1] : Int.max
            let previousLinks = previous.links
            // When these annotations were merged from the previously published ones, what was kept
            // is known and need not be compared.
            let known = continuity.flatMap { continuity in
                previous.token != nil && continuity.from === previous.token ? continuity : nil
            }
            if let known, !known.renumbered { idsKeptFrom = known.after }
            // Released annotations (the run changed their array in place) are not compared: what
            // the run kept is known, the rest is taken for changed.
            let released = previous.annotationsReleased
            (prefixEnd, suffixStart) = annotations.withUnsafeBufferPointer { now in
                previous.annotations.withUnsafeBufferPointer { before in
                    var i = 0
                    let limit = min(now.count, previous.annotationCount)
                    if let known {
                        let kept = min(known.kept, limit)
                        while i < kept && now[i].range.upperBound < common { i += 1 }
                    }
                    while !released && i < limit && now[i].range.upperBound < common && Self.same(now[i], before[i]) {
                        i += 1
                    }
                    var j = now.count - 1
                    if let known {
                        // Moved, not otherwise changed: only the line rule applies.
                        let after = max(known.after, i, i + indexShift)
                        while j >= after && now[j].range.lowerBound >= safeStart { j -= 1 }
                        if j >= after || released { return (i, j + 1) }
                    }
                    while j >= i && j - indexShift >= i {
                        let b = j - indexShift
                        let range = now[j].range, old = before[b].range
                        guard range.lowerBound >= safeStart, range.lowerBound - byteShift == old.lowerBound,
                            range.upperBound - byteShift == old.upperBound,
                            now[j].kind.rawValue == before[b].kind.rawValue, now[j].module == before[b].module,
                            links.sameTargets(j, as: b, in: previousLinks, shift: indexShift),
                            now[j].links.count == before[b].links.count, Self.sameRels(now[j].links, before[b].links),
                            now[j].attributes == before[b].attributes, Self.sameBytes(now[j].text, before[b].text)
                        else { break }
                        j -= 1
                    }
                    return (i, j + 1)
                }
            }
        }

        // Each annotation's severity, nil when it has no diagnostic (as `DiagnosticBuilder.severity(of:)`),
        // worked out in one pass over the annotations read in place (a function taking an annotation
        // from the array by value copied and released all its strings, for every annotation, three
        // times per publish), each kind's severity asked once.
        var levelKinds: [AnnotationKind] = []
        var levelValues: [AnnotationSeverity?] = []
        // Whether the cue rule may leave out an annotation of the kind (only cues).
        var levelRuled: [Bool] = []
        let lastRanges = previous?.byteRanges
        let levels = annotations.withUnsafeBufferPointer { all in
            [AnnotationSeverity?](unsafeUninitializedCapacity: all.count) { levels, count in
                var lastKind = -1
                for i in all.indices {
                    // Neighbours are often of one kind: the last kind's index is tried first.
                    if lastKind < 0 || levelKinds[lastKind].rawValue != all[i].kind.rawValue {
                        lastKind = levelKinds.firstIndex { $0.rawValue == all[i].kind.rawValue } ?? -1
                        if lastKind < 0 {
                            levelKinds.append(all[i].kind)
                            levelValues.append(severity(all[i].kind))
                            levelRuled.append(cueDiagnostics.leavesOut(all[i].kind))
                            lastKind = levelKinds.count - 1
                        }
                    }
                    var level = levelValues[lastKind]
                    if level != nil && levelRuled[lastKind] {
                        // Before and after the change the annotations are the last publish's, and
                        // so is whether they had a diagnostic: not read from each one's links (a
                        // cache miss per cue, on every keystroke).
                        if let lastRanges, i < prefixEnd {
                            if lastRanges[i].isEmpty { level = nil }
                        } else if let lastRanges, i >= suffixStart {
                            if lastRanges[i - indexShift].isEmpty { level = nil }
                        } else if !cueDiagnostics.allows(kind: all[i].kind, links: all[i].links) {
                            level = nil
                        }
                    }
                    (levels.baseAddress! + i).initialize(to: level)
                }
                count = all.count
            }
        }
        // The part of the document whose diagnostics are built anew, and a graph of it (with all
        // their links: each one's linked annotations lie within its span).
        var graph = graph
        var rebuiltLow = Int.max, rebuiltHigh = -1

        // How each diagnostic is made: copied (0), its template filled with shifted slots (1), built (2).
        var how = [UInt8](repeating: 2, count: annotations.count)
        for index in annotations.indices {
            // No diagnostic (its kind is off): nothing to build, no graph needed for it.
            if levels[index] == nil { continue }
            if let previous {
                if index < prefixEnd, Int(links.high[index]) < prefixEnd, Int(previous.links.high[index]) < prefixEnd,
                    !previous.byteRanges[index].isEmpty
                {
                    how[index] = 0
                    continue
                }
                let before = index - indexShift
                if index >= suffixStart, Int(links.low[index]) >= suffixStart,
                    Int(previous.links.low[before]) >= suffixStart - indexShift,
                    previous.templates[before] != nil, previous.slotStarts[before] >= 0
                {
                    how[index] = 1
                    continue
                }
            }
            rebuiltLow = min(rebuiltLow, Int(links.low[index]))
            rebuiltHigh = max(rebuiltHigh, Int(links.high[index]))
        }
        if graph == nil && rebuiltLow <= rebuiltHigh {
            graph = rebuiltLow == 0 && rebuiltHigh == annotations.count - 1
                ? AnnotationGraph(annotations) : AnnotationGraph(Array(annotations[rebuiltLow...rebuiltHigh]))
        }

        // The previous publish's parts, bound once (not per diagnostic).
        let previousBody = previous?.body ?? []
        let previousRanges = previous?.byteRanges ?? []
        let previousTemplates = previous?.templates ?? []
        let previousSlotStarts = previous?.slotStarts ?? []
        let previousSlots = previous?.slots ?? []
        let previousStartDigits = previous?.startDigits ?? []
        let previousAnnotations = previous?.annotations ?? []

        // Whether those moved kept their ids and link targets (patched in place when lines did not
        // move), when that is not known from the merge: compared in one pass over both arrays.
        var idsKept: [Bool] = []
        if let previous, !previous.annotationsReleased, lineShift == 0, idsKeptFrom > suffixStart {
            idsKept = annotations.withUnsafeBufferPointer { now in
                previousAnnotations.withUnsafeBufferPointer { before in
                    (suffixStart..<now.count).map { j in Self.sameIDs(now, j, before, j - indexShift) }
                }
            }
        }

        // A run of bytes of the previous body being copied (contiguous diagnostics, commas between).
        var run: Range<Int>? = nil
        func flush() {
            if let pending = run {
                previousBody.withUnsafeBufferPointer { body in
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: body[pending]))
                }
                run = nil
            }
        }
        // The leading run of copied diagnostics, in one piece: the bytes, and the record's entries,
        // which are the previous ones (byte ranges moved by the envelope's change of length).
        var index = 0
        if let previous {
            var copyEnd = 0
            var lastCopied = -1
            while copyEnd < annotations.count {
                if how[copyEnd] == 0 {
                    lastCopied = copyEnd
                } else if levels[copyEnd] != nil {
                    break
                }
                copyEnd += 1
            }
            // Up to the last one copied: those without a diagnostic before it are the previous ones
            // (all below `prefixEnd` are), but after it they may be new, or more than there were.
            copyEnd = lastCopied + 1
            if lastCopied >= 0 {
                var firstCopied = 0
                while how[firstCopied] != 0 { firstCopied += 1 }
                let bytes = previousRanges[firstCopied].lowerBound..<previousRanges[lastCopied].upperBound
                let moved = out.count - bytes.lowerBound
                previousBody.withUnsafeBufferPointer { body in
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: body[bytes]))
                }
                first = false
                for i in 0..<copyEnd {
                    let range = previousRanges[i]
                    record.byteRanges.append(range.isEmpty ? range : (range.lowerBound + moved)..<(range.upperBound + moved))
                    if how[i] == 0 { used += 1 }
                }
                // Slots are in annotation order: those copied end where the last copied one's end.
                var slotEnd = 0
                var last = copyEnd - 1
                while last >= 0 {
                    if how[last] == 0, previousSlotStarts[last] >= 0, let template = previousTemplates[last] {
                        slotEnd = previousSlotStarts[last] + template.slotCount
                        break
                    }
                    last -= 1
                }
                record.templates.append(contentsOf: previousTemplates[0..<copyEnd])
                record.slotStarts.append(contentsOf: previousSlotStarts[0..<copyEnd])
                record.startDigits.append(contentsOf: previousStartDigits[0..<copyEnd])
                record.slots.append(contentsOf: previousSlots[0..<slotEnd])
                index = copyEnd
            }
            _ = previous
        }
        while index < annotations.count {
            defer { index += 1 }
            guard let level = levels[index] else {
                record.byteRanges.append(0..<0)
                record.templates.append(nil)
                record.slotStarts.append(-1)
                record.startDigits.append(-1)
                continue
            }
            used += 1
            if how[index] == 0 {
                // Unchanged, before the edit: the same bytes as last time.
                let range = previousRanges[index]
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
                record.templates.append(previousTemplates[index])
                record.startDigits.append(previousStartDigits[index])
                let start = previousSlotStarts[index]
                if start >= 0, let template = previousTemplates[index] {
                    record.slotStarts.append(record.slots.count)
                    record.slots.append(contentsOf: previousSlots[start..<(start + template.slotCount)])
                } else {
                    record.slotStarts.append(-1)
                }
                continue
            }
            flush()
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let begin = out.count
            if how[index] == 1, let template = previousTemplates[index - indexShift] {
                // Unchanged but moved: last time's slots, shifted (slot order, see `DiagnosticShape`:
                // lines, lines, offsets, offsets, related lines..., characters...).
                let before = index - indexShift
                let start = previousSlotStarts[before]
                let newStart = record.slots.count
                let digits = Int(previousStartDigits[before])
                if lineShift == 0, template.endGap >= 0, digits >= 0,
                    index >= idsKeptFrom || (!idsKept.isEmpty && idsKept[index - suffixStart])
                {
                    // Only `data.start` and `data.end` differ: last time's bytes around them.
                    let range = previousRanges[before]
                    let oldStart = previousSlots[start + 2], oldEnd = previousSlots[start + 3]
                    let gap = range.lowerBound + digits + DiagnosticFragments.decimalLength(oldStart)
                    let rest = gap + template.endGap + DiagnosticFragments.decimalLength(oldEnd)
                    previousBody.withUnsafeBufferPointer { body in
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[range.lowerBound..<(range.lowerBound + digits)]))
                        DiagnosticFragments.appendDecimal(oldStart + unitShift, to: &out)
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[gap..<(gap + template.endGap)]))
                        DiagnosticFragments.appendDecimal(oldEnd + unitShift, to: &out)
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: body[rest..<range.upperBound]))
                    }
                    record.slots.append(contentsOf: previousSlots[start..<(start + template.slotCount)])
                    record.slots[newStart + 2] += unitShift
                    record.slots[newStart + 3] += unitShift
                    record.startDigits.append(Int32(digits))
                } else {
                    // Lines move by the lines added, offsets by the units; characters stay (the
                    // annotation and all it is linked to are on lines after the edited one).
                    let lineSlots = DiagnosticShape.lineSlotCount(slotCount: template.slotCount)
                    for k in 0..<template.slotCount {
                        let shift = k == 2 || k == 3 ? unitShift : k < lineSlots ? lineShift : 0
                        record.slots.append(previousSlots[start + k] + shift)
                    }
                    let at = record.slots.withUnsafeBufferPointer { slots in
                        template.render(
                            slots: UnsafeBufferPointer(rebasing: slots[newStart...]), id: annotations[index].id,
                            links: annotations[index].links, into: &out)
                    }
                    record.startDigits.append(Int32(at))
                }
                record.byteRanges.append(begin..<out.count)
                record.templates.append(template)
                record.slotStarts.append(newStart)
                continue
            }
            let annotation = annotations[index]
            let shape = DiagnosticShape(
                annotation, severity: level, graph: graph!, lineIndex: lineIndex, encoding: encoding,
                slots: &slots, ids: &ids)
            var template = known[shape]
            if template == nil {
                template = DiagnosticTemplate(
                    builder.diagnostic(for: annotation, severity: level, graph: graph!), slotCount: slots.count)
                known[shape] = template
            }
            if let template = template!.isEmpty ? nil : template {
                let at = slots.withUnsafeBufferPointer { slots in
                    template.render(slots: slots, id: annotation.id, links: annotation.links, into: &out)
                }
                record.startDigits.append(Int32(at))
                record.templates.append(template)
                record.slotStarts.append(record.slots.count)
                record.slots.append(contentsOf: slots)
            } else {
                // Sentinels clash with the text: serialized whole, not cached.
                out.append(contentsOf: DiagnosticFragments.serializer.serialize(
                    builder.diagnostic(for: annotation, severity: level, graph: graph!)))
                record.templates.append(nil)
                record.slotStarts.append(-1)
                record.startDigits.append(-1)
            }
            record.byteRanges.append(begin..<out.count)
        }
        flush()
        out.append(contentsOf: envelope.tail)
        // Shapes of earlier versions pile up; start over when they outnumber the live ones.
        if known.count > 4 * used + 1024 { known = [:] }
        entries.withLock { $0 = known }
        record.body = out
        let replaced = published.withLock { published -> [UInt8] in
            guard published == nil || published!.version <= version else { return [] }
            defer { published = record }
            return published?.body ?? []
        }
        spare.withLock { $0 = replaced }
        return out
    }

    /// `==` field by field, without copying either annotation.
    @inline(__always)
    static func same(_ a: Annotation, _ b: Annotation) -> Bool {
        a.range == b.range && sameBytes(a.id, b.id) && sameBytes(a.kind.rawValue, b.kind.rawValue)
            && sameBytes(a.module, b.module)
            && sameBytes(a.text, b.text) && a.links == b.links && a.attributes == b.attributes
    }

    /// The same id and link targets, byte for byte.
    /// (Read from the arrays in place: an annotation passed by value is copied, all its strings.)
    @inline(__always)
    static func sameIDs(_ a: UnsafeBufferPointer<Annotation>, _ i: Int, _ b: UnsafeBufferPointer<Annotation>, _ j: Int) -> Bool {
        guard sameBytes(a[i].id, b[j].id), a[i].links.count == b[j].links.count else { return false }
        for k in a[i].links.indices where !sameBytes(a[i].links[k].target, b[j].links[k].target) { return false }
        return true
    }

    static func sameRels(_ a: [AnnotationLink], _ b: [AnnotationLink]) -> Bool {
        for k in a.indices where a[k].rel != b[k].rel { return false }
        return true
    }

    /// Equal UTF-8 bytes (String's `==` would take canonically equivalent texts for equal); the
    /// same storage is recognised without reading it.
    @inline(__always)
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let result = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count
                    && (x.baseAddress == y.baseAddress || x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
        if let result, let result { return result }
        return a.utf8.elementsEqual(b.utf8)
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

        /// Its lines and text tell apart the shapes of one annotation while someone types in what
        /// it is linked to, or between the two (hundreds of shapes that differ only here: its
        /// characters are slots, not in the shape); the rest `==` checks.
        func hash(into hasher: inout Hasher) {
            hasher.combine(range)
            hasher.combine(text)
        }
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

        static func == (a: Bytes, b: Bytes) -> Bool { DiagnosticFragmentCache.sameBytes(a.string, b.string) }

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

    /// Slot order: range start line, range end line, data.start, data.end, each related range's
    /// start and end lines (the line slots), then range start character, range end character,
    /// each related range's start and end characters; ids: data.id, then each link target.
    /// Characters are slots too, not part of the shape: typing on a line moves the annotations
    /// after the cursor along it, and so they keep their templates.
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
        ids.append(annotation.id)
        for link in annotation.links { ids.append(link.target) }
        kind = annotation.kind
        module = annotation.module
        text = Bytes(annotation.text)
        attributes = annotation.attributes
        linkRels = annotation.links.map(\.rel)
        self.severity = severity
        range = Self.relative(absolute, to: base)
        var characters = [absolute.start.character, absolute.end.character]
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
            characters.append(range.start.character)
            characters.append(range.end.character)
            return Related(
                label: relation.label, kind: relation.annotation.kind, text: Bytes(relation.annotation.text),
                range: Self.relative(range, to: base))
        }
        slots.append(contentsOf: characters)
    }

    /// How many of a diagnostic's slots are lines and offsets (the rest are characters).
    static func lineSlotCount(slotCount: Int) -> Int {
        // 4 + 2r line and offset slots and 2 + 2r character slots, for r related ranges.
        (slotCount + 2) / 2
    }

    /// A cheap hash of the parts that tell shapes apart most (`==` still compares everything).
    func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(range)
        hasher.combine(kind)
        hasher.combine(severity)
        hasher.combine(related)
        hasher.combine(named)
    }

    /// Lines relative to `line`; characters are slots, left out (0).
    static func relative(_ range: TextRange, to line: Int) -> TextRange {
        TextRange(
            start: TextPosition(line: range.start.line - line, character: 0),
            end: TextPosition(line: range.end.line - line, character: 0))
    }
}

/// A diagnostic's compact JSON cut where the slots go: `parts.count == order.count + 1`. Empty
/// `parts` when the sentinels could not be found exactly once each (the diagnostic is then
/// serialized whole every time).
struct DiagnosticTemplateParts: Sendable {
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
        /// A range with slots for its start and end `field` ("line" or "character").
        func slotted(_ range: JSONValue?, _ field: String) -> JSONValue? {
            guard var range = range?.objectValue, var start = range["start"]?.objectValue,
                var end = range["end"]?.objectValue
            else { return range }
            start[field] = number()
            end[field] = number()
            range["start"] = .object(start)
            range["end"] = .object(end)
            return .object(range)
        }
        /// The related ranges with slots for `field`.
        func slottedRelated(_ related: JSONValue?, _ field: String) -> JSONValue? {
            guard let related = related?.arrayValue else { return related }
            return .array(related.map { item in
                guard var item = item.objectValue, var location = item["location"]?.objectValue else { return item }
                location["range"] = slotted(location["range"], field)
                item["location"] = .object(location)
                return .object(item)
            })
        }
        guard var object = diagnostic.objectValue, var data = object["data"]?.objectValue else {
            parts = []
            order = []
            return
        }
        object["range"] = slotted(object["range"], "line")
        data["start"] = number()
        data["end"] = number()
        data["id"] = id()
        if let links = data["links"]?.arrayValue {
            data["links"] = .array(links.map { link in
                guard var link = link.objectValue else { return link }
                link["target"] = id()
                return .object(link)
            })
        }
        object["relatedInformation"] = slottedRelated(object["relatedInformation"], "line")
        // Characters after every line and offset.
        object["range"] = slotted(object["range"], "character")
        object["relatedInformation"] = slottedRelated(object["relatedInformation"], "character")
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
        // One pass for all sentinels (not one per sentinel): each is a `-` and digits of one length,
        // with no other `-`, so two never overlap and a hit is read off as a number.
        guard let length = sentinels.first?.bytes.count else { return ([bytes], []) }
        var hits = [Int](repeating: -1, count: sentinels.count)
        var hitCounts = [Int](repeating: 0, count: sentinels.count)
        bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            while i + length <= bytes.count {
                guard bytes[i] == UInt8(ascii: "-") else {
                    i += 1
                    continue
                }
                var value: Int64 = 0
                var digits = true
                for k in (i + 1)..<(i + length) {
                    let digit = bytes[k] &- UInt8(ascii: "0")
                    if digit > 9 {
                        digits = false
                        break
                    }
                    value = value * 10 + Int64(digit)
                }
                let index = digits ? Int(value + DiagnosticFragments.sentinelBase) : -1
                if index >= 0 && index < sentinels.count && sentinels[index].bytes.count == length {
                    hits[index] = i
                    hitCounts[index] += 1
                    i += length
                } else {
                    i += 1
                }
            }
        }
        guard hitCounts.allSatisfy({ $0 == 1 }) else { return nil }
        var found = sentinels.indices.map { (at: hits[$0], length: length, slot: sentinels[$0].slot) }
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
}

/// A diagnostic's template as a publish uses it: one object, so keeping it per diagnostic from
/// publish to publish costs a reference.
final class DiagnosticTemplate: Sendable {
    typealias Slot = DiagnosticTemplateParts.Slot
    let order: [Slot]
    /// The parts joined, and where each part but the last ends in it.
    let bytes: [UInt8]
    let cuts: [Int]
    /// How many numbers the slots take (ids not counted).
    let slotCount: Int
    /// True when the sentinels could not be cut out (the diagnostic is serialized whole each time).
    let isEmpty: Bool
    /// The bytes between `data.start`'s digits and `data.end`'s when those come one after the
    /// other, else -1.
    let endGap: Int

    init(_ diagnostic: JSONValue, slotCount: Int) {
        let parts = DiagnosticTemplateParts(diagnostic, slotCount: slotCount)
        order = parts.order
        self.slotCount = parts.slotCount
        isEmpty = parts.parts.isEmpty
        var bytes: [UInt8] = []
        var cuts: [Int] = []
        for part in parts.parts.dropLast() {
            bytes.append(contentsOf: part)
            cuts.append(bytes.count)
        }
        if let last = parts.parts.last { bytes.append(contentsOf: last) }
        self.bytes = bytes
        self.cuts = cuts
        var endGap = -1
        for k in order.indices.dropLast() {
            if case .number(2) = order[k], case .number(3) = order[k + 1] { endGap = cuts[k + 1] - cuts[k] }
        }
        self.endGap = endGap
    }

    /// Fills the slots: numbers from `slots`, id 0 is the annotation's, id `i` its link `i - 1`'s
    /// target. Returns where the digits of `data.start` (slot 2) begin in what it wrote (-1: none).
    @discardableResult
    func render(slots: UnsafeBufferPointer<Int>, id: String, links: [AnnotationLink], into out: inout [UInt8]) -> Int {
        let begin = out.count
        var startDigits = -1
        // Read through buffers: checked subscripts of three arrays per slot were a tenth of a publish.
        bytes.withUnsafeBufferPointer { bytes in
            order.withUnsafeBufferPointer { order in
                cuts.withUnsafeBufferPointer { cuts in
                    var from = 0
                    for index in order.indices {
                        let to = cuts[index]
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<to]))
                        from = to
                        switch order[index] {
                        case .number(let i):
                            if i == 2 { startDigits = out.count - begin }
                            DiagnosticFragments.appendDecimal(slots[i], to: &out)
                        case .id(let i): DiagnosticFragments.appendID(i == 0 ? id : links[i - 1].target, to: &out)
                        }
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from...]))
                }
            }
        }
        return startDigits
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

    /// How many bytes `appendDecimal` writes for `value`.
    static func decimalLength(_ value: Int) -> Int {
        if value < 0 { return value == Int.min ? String(value).utf8.count : 1 + decimalLength(-value) }
        var length = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        return length
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 0 && value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        if value < 0 {
            if value == Int.min {
                out.append(contentsOf: String(value).utf8)
                return
            }
            out.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        // Twenty digits hold any UInt64; written back to front, two at a time (half the divisions:
        // two numbers per diagnostic after an edit, thousands per keystroke).
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            var at = buffer.count
            while magnitude >= 10 {
                let pair = Int(magnitude % 100)
                magnitude /= 100
                at -= 2
                buffer[at] = UInt8(ascii: "0") + UInt8(pair / 10)
                buffer[at + 1] = UInt8(ascii: "0") + UInt8(pair % 10)
            }
            if magnitude > 0 || at == buffer.count {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at...]))
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
