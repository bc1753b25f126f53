import AnnotationModel
import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
@testable import Server
import Testing
import TextEngine
import TextModel

/// The incremental merge numbers ids, rewrites links and keeps the link spans as a full run would,
/// and a publish that trusts what the merge kept writes the same bytes as serializing everything.
@Suite struct IncrementalMergeTests {
    let pipeline = ModuleRegistry(builtins: [KeywordAnnotator(words: ["may", "ربما"]), AttributionAnnotator()]).pipeline()

    func full(_ text: String) -> [Annotation] {
        pipeline.run(text: text, language: .english).annotations
    }

    func step(from old: String, _ oldAnnotations: [Annotation], _ oldLinks: LinkSpans?, to new: String)
        -> IncrementalAnnotation.Outcome?
    {
        let oldView = Array(old.utf8), newView = Array(new.utf8)
        var incremental = IncrementalAnnotation(
            oldView: oldView, oldParagraphs: Paragraphs.ranges(in: oldView), oldAnnotations: oldAnnotations,
            newView: newView, newParagraphs: Paragraphs.ranges(in: newView), oldLinks: oldLinks)
        return incremental.run { window in pipeline.run(text: window, language: .english) }
    }

    /// Checks one outcome against a full run of `new`, and what it says it kept against `old`.
    func check(_ outcome: IncrementalAnnotation.Outcome, old: [Annotation], new: String, _ comment: Comment) {
        let expected = full(new)
        #expect(outcome.annotations == expected, comment)
        #expect(outcome.links == LinkSpans(outcome.annotations), comment)
        guard let kept = outcome.kept else { return }
        #expect(Array(outcome.annotations[..<kept.prefix]) == Array(old[..<kept.prefix]), comment)
        let shift = outcome.annotations.count - old.count
        for index in kept.after..<outcome.annotations.count {
            let now = outcome.annotations[index], before = old[index - shift]
            #expect(now.kind == before.kind && now.text == before.text && now.attributes == before.attributes, comment)
            #expect(now.range.count == before.range.count, comment)
            if !kept.renumbered { #expect(now.id == before.id && now.links == before.links, comment) }
        }
    }

    static let base = "p0 may officials said\n\np1 “we may go” may\n\np2 Reuters said may\n\np3 the minister said\n\np4 may"

    /// Edits at the start, in the middle and at the end; ones that add or remove an annotation
    /// (renumbering those after), join or split paragraphs, and delete everything.
    @Test(arguments: [
        ("X" + base, "insert at the start"),
        (base.replacingOccurrences(of: "p2 Reuters", with: "p2 x Reuters"), "insert in the middle"),
        (base + " x", "insert at the end"),
        (base.replacingOccurrences(of: "p1 “we", with: "p1 may “we"), "a new hedge renumbers the later ones"),
        (base.replacingOccurrences(of: "p2 Reuters said may", with: "p2 said"), "a source, a hedge gone"),
        (base.replacingOccurrences(of: "p3 the minister", with: "p3 officials and the minister"), "a new source"),
        (base.replacingOccurrences(of: "may\n\np2", with: "may p2"), "two paragraphs joined"),
        (base.replacingOccurrences(of: "p2 Reuters said", with: "p2\n\nReuters said"), "a paragraph split"),
        (base.replacingOccurrences(of: "p4 may", with: ""), "the last paragraph emptied"),
        ("", "everything deleted"),
    ])
    func editsMergeAsAFullRun(edited: String, what: String) {
        let old = full(Self.base)
        guard let outcome = step(from: Self.base, old, nil, to: edited) else { return }  // a fallback is a full run
        check(outcome, old: old, new: edited, "\(what)")
    }

    @Test func simpleEditsAreMergedNotRunInFull() throws {
        let old = full(Self.base)
        let edited = Self.base.replacingOccurrences(of: "p2 Reuters", with: "p2 may Reuters")
        let outcome = try #require(step(from: Self.base, old, nil, to: edited))
        let kept = try #require(outcome.kept)
        #expect(kept.renumbered)
        #expect(kept.prefix > 0 && kept.after < outcome.annotations.count)
        check(outcome, old: old, new: edited, "a hedge added in p2")
    }

    /// Random edits, each merged into the last merge's result (links carried along), against full runs.
    @Test func randomEditsChainLikeFullRuns() {
        let pieces = ["may", "officials said", "“we may go”", "Reuters", "the minister said", "x", "ربما", "\n", "\n\n", " ", "”", "“"]
        var text = Self.base
        var annotations = full(text)
        var links: LinkSpans? = LinkSpans(annotations)
        var generator = SystemRandomNumberGenerator()
        var merged = 0
        for round in 0..<120 {
            var bytes = Array(text.utf8)
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let b = min(boundaries.filter { $0 >= a }.randomElement(using: &generator)!, a + 8)
            let end = boundaries.last { $0 <= b }!
            bytes.replaceSubrange(a..<end, with: Array((Bool.random(using: &generator) ? pieces.randomElement(using: &generator)! : "").utf8))
            let edited = String(decoding: bytes, as: UTF8.self)
            if let outcome = step(from: text, annotations, links, to: edited) {
                merged += 1
                check(outcome, old: annotations, new: edited, "round \(round): \(edited.debugDescription)")
                annotations = outcome.annotations
                links = outcome.links
            } else {
                annotations = full(edited)
                links = nil
            }
            text = edited
        }
        #expect(merged > 0)
    }

    @Test func linkSpansResolveIdsNotNumberedByTheirKind() {
        let a = Annotation(id: "first", module: "m", kind: .source, range: 0..<1, text: "a")
        let b = Annotation(id: "second", module: "m", kind: .cue, range: 2..<3, text: "b", links: [AnnotationLink(rel: "source", target: "first")])
        let c = Annotation(id: "cue-1", module: "m", kind: .quote, range: 4..<5, text: "c", links: [AnnotationLink(rel: "cue", target: "gone")])
        let spans = LinkSpans([a, b, c])
        #expect(spans.low == [0, 0, 0] && spans.high == [1, 1, 2])
        #expect(spans.targets == [0, -1])
        #expect(spans.targetStarts == [0, 0, 1, 2])
    }

    func whole(_ text: String, _ annotations: [Annotation], encoding: PositionEncoding, version: Int) -> [UInt8] {
        let builder = DiagnosticBuilder(
            uri: "u", encoder: AnnotationJSONWriter(lineIndex: LineIndex(text), encoding: encoding),
            severity: { $0 == .cue ? .hint : .information })
        let message = Message.notification(
            method: "textDocument/publishDiagnostics",
            params: ["uri": "u", "version": .integer(Int64(version)),
                     "diagnostics": .array(builder.diagnostics(for: annotations))])
        return JSONSerializer().serialize(message.json)
    }

    /// The publish copies and patches what the merge says it kept: byte for byte the whole
    /// notification, across random edits (with and without new lines, renumbering, links).
    @Test(arguments: [PositionEncoding.utf16, .utf8])
    func publishingWhatTheMergeKeptEqualsTheWholeSerialization(encoding: PositionEncoding) {
        // ` said` far from a source: a cue without one, which (unlike a sourced cue) has a diagnostic.
        let pieces = ["may", "officials said", "“we may go”", "Reuters", "x", "ربما", "\n", "\n\n", " ", "😀", " said"]
        var text = (0..<8).map { "p\($0) officials said “we may go” may\nReuters may ربما" }.joined(separator: "\n\n")
        var annotations = full(text)
        var links: LinkSpans? = LinkSpans(annotations)
        var token = AnalysisToken()
        let cache = DiagnosticFragmentCache(uri: "u")
        let severity: (AnnotationKind) -> AnnotationSeverity? = { $0 == .cue ? .hint : .information }
        _ = cache.publishBody(
            version: 1, annotations: annotations, links: links, token: token, lineIndex: LineIndex(text),
            encoding: encoding, severity: severity)
        var generator = SystemRandomNumberGenerator()
        for version in 2...60 {
            var bytes = Array(text.utf8)
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let end = boundaries.last { $0 <= min(a + Int.random(in: 0...3, using: &generator), bytes.count) }!
            bytes.replaceSubrange(a..<end, with: Array((Bool.random(using: &generator) ? pieces.randomElement(using: &generator)! : "").utf8))
            let edited = String(decoding: bytes, as: UTF8.self)
            var continuity: Continuity? = nil
            let next = AnalysisToken()
            if let outcome = step(from: text, annotations, links, to: edited) {
                annotations = outcome.annotations
                links = outcome.links
                if let kept = outcome.kept {
                    continuity = Continuity(from: token, kept: kept.prefix, after: kept.after, renumbered: kept.renumbered)
                }
            } else {
                annotations = full(edited)
                links = nil
            }
            text = edited
            token = next
            let got = cache.publishBody(
                version: version, annotations: annotations, links: links, token: token, continuity: continuity,
                lineIndex: LineIndex(text), encoding: encoding, severity: severity)
            let expected = whole(text, annotations, encoding: encoding, version: version)
            #expect(String(decoding: got, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(text.debugDescription)")
            if got != expected { return }
        }
    }
}
