import AnnotationModel
import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
@testable import Server
import Testing
import TextModel

/// The publish spliced from cached templates is byte for byte the notification serialized whole.
@Suite struct DiagnosticSpliceTests {
    let pipeline = ModuleRegistry(builtins: [KeywordAnnotator(words: ["may", "ربما"]), AttributionAnnotator()]).pipeline()

    func annotations(_ text: String) -> [Annotation] {
        pipeline.run(text: text, language: .english).annotations
    }

    func whole(_ text: String, uri: String = "file:///a b/ü.txt", _ annotations: [Annotation], encoding: PositionEncoding, version: Int,
               severity: @escaping (AnnotationKind) -> AnnotationSeverity?, cues: CueDiagnostics = .unsourced) -> [UInt8] {
        let builder = DiagnosticBuilder(
            uri: uri, encoder: AnnotationJSONWriter(lineIndex: LineIndex(text), encoding: encoding),
            severity: severity, cueDiagnostics: cues)
        let message = Message.notification(
            method: "textDocument/publishDiagnostics",
            params: ["uri": .string(uri), "version": .integer(Int64(version)),
                     "diagnostics": .array(builder.diagnostics(for: annotations))])
        return JSONSerializer().serialize(message.json)
    }

    func spliced(_ cache: DiagnosticFragmentCache, _ text: String, _ annotations: [Annotation], encoding: PositionEncoding,
                 version: Int, severity: @escaping (AnnotationKind) -> AnnotationSeverity?,
                 cues: CueDiagnostics = .unsourced) -> [UInt8] {
        cache.publishBody(
            version: version, annotations: annotations, graph: AnnotationGraph(annotations), lineIndex: LineIndex(text),
            encoding: encoding, severity: severity, cueDiagnostics: cues)
    }

    @Test(arguments: [PositionEncoding.utf8, .utf16, .utf32])
    func splicedEqualsSerializedWholeAcrossEdits(encoding: PositionEncoding) throws {
        let edits = [
            "officials said “we may go” today\n\nReuters may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nReuters may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nReuters said may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nmay Reuters said may\nthe minister said\n“ok” x ربما 😀😀 may",
            "X\nofficials said “we may go” today\n\nmay Reuters said may\nthe minister said\n“ok” x ربما 😀😀 may may",
            "X\nofficials said “we may go” today\n\nmay Reuters said may\n\nthe minister said\n“ok” x ربما 😀😀 may may",
            "X\nofficials said “we may go” today\n\nmay Reuters said may\n\nthe minister said\n“ok” x ربما 😀😀 may may\nmay",
            "officials said “-876543210987000000 may” \"q\\\" may\n\n“ok” may",
        ]
        let severity: (AnnotationKind) -> AnnotationSeverity? = { $0 == .cue ? nil : .information }
        let cache = DiagnosticFragmentCache(uri: "file:///a b/ü.txt")
        for (version, text) in edits.enumerated() {
            let found = annotations(text)
            #expect(!found.isEmpty)
            let expected = whole(text, found, encoding: encoding, version: version, severity: severity)
            // Twice: the second publish comes from the cache only.
            for _ in 0..<2 {
                let got = spliced(cache, text, found, encoding: encoding, version: version, severity: severity)
                #expect(String(decoding: got, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            }
        }
        #expect(cache.count > 0)
    }

    /// Random edits, with the cue rule both ways: cues gain and lose their sources (` said` far from
    /// any), so diagnostics of sourced cues come and go while the rest is reused.
    @Test(arguments: [PositionEncoding.utf8, .utf16], [CueDiagnostics.unsourced, .all])
    func randomEditsSpliceAsTheWholeSerialization(encoding: PositionEncoding, cues: CueDiagnostics) {
        let pieces = ["may", "officials said", "“we may go”", "Reuters", "the minister said", "x", "ربما", "\n", "\n\n", " ", "”", "“", "😀",
                      " said", "said nothing of note here at all"]
        var text = (0..<12).map { "p\($0) officials said “we may go” may\nReuters may ربما" }.joined(separator: "\n\n")
        let severity: (AnnotationKind) -> AnnotationSeverity? = { _ in .warning }
        let cache = DiagnosticFragmentCache(uri: "u")
        var generator = SystemRandomNumberGenerator()
        for version in 1...80 {
            var bytes = Array(text.utf8)
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let b = min(boundaries.filter { $0 >= a }.randomElement(using: &generator)!, a + 4)
            let end = boundaries.last { $0 <= b }!
            bytes.replaceSubrange(a..<end, with: Array((Bool.random(using: &generator) ? pieces.randomElement(using: &generator)! : "").utf8))
            text = String(decoding: bytes, as: UTF8.self)
            let found = annotations(text)
            let got = spliced(cache, text, found, encoding: encoding, version: version, severity: severity, cues: cues)
            let expected = whole(text, uri: "u", found, encoding: encoding, version: version, severity: severity, cues: cues)
            #expect(String(decoding: got, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(text.debugDescription)")
            if got != expected { return }
        }
    }

    /// Annotations without a diagnostic after the last one copied from the previous publish, more
    /// than it had (a cue named by its source, a source whose kind is off): built as they are, not
    /// taken for the previous publish's entries.
    @Test func annotationsWithoutDiagnosticsAfterTheCopiedOnesAreNotThePreviousOnes() throws {
        let severity: (AnnotationKind) -> AnnotationSeverity? = { $0 == .source ? nil : .information }
        let cache = DiagnosticFragmentCache(uri: "u")
        let texts = ["It may rain, may x", "It may rain, may x\nsaid officials", "It may rain, may x\nsaid officials\nsaid Reuters x"]
        for (version, text) in texts.enumerated() {
            let found = annotations(text)
            let got = spliced(cache, text, found, encoding: .utf16, version: version, severity: severity)
            let expected = whole(text, uri: "u", found, encoding: .utf16, version: version, severity: severity)
            #expect(String(decoding: got, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    /// Typing on a line moves the diagnostics after the cursor along it: characters are slots, so
    /// they keep their templates (no new shapes), and the output is still the whole serialization.
    @Test(arguments: [PositionEncoding.utf8, .utf16])
    func typingAlongALineMakesNoNewShapes(encoding: PositionEncoding) throws {
        let severity: (AnnotationKind) -> AnnotationSeverity? = { _ in .information }
        let cache = DiagnosticFragmentCache(uri: "u")
        var shapes = 0
        for (version, typed) in ["", "x", "xy", "xy😀", "xy😀لا"].enumerated() {
            let text = "p\(typed) officials said “we may go” may, Reuters said\nthe minister said “ok” may"
            let found = annotations(text)
            let got = spliced(cache, text, found, encoding: encoding, version: version, severity: severity, cues: .all)
            let expected = whole(text, uri: "u", found, encoding: encoding, version: version, severity: severity, cues: .all)
            #expect(String(decoding: got, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            if version == 0 { shapes = cache.count } else { #expect(cache.count == shapes, "after typing \(typed)") }
        }
    }

    /// The short way (a short span on one line, in ASCII) gives what the long way gives.
    @Test(arguments: ["may", "", "said", String(repeating: "a", count: 80), String(repeating: "a", count: 81),
                      "two\nlines", "form\u{0C}feed", "tab\tand\u{0B}vt", "line\u{2028}sep", "ربما", "a\r\nb",
                      String(repeating: "ربما ", count: 30), "“" + String(repeating: "word ", count: 20) + "”"])
    func shortenedTextsAreTheFlatPrefix(text: String) {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let expected = flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
        #expect(DiagnosticBuilder.shortened(text) == expected)
    }

    @Test func decimalsAreWrittenAsStringWritesThem() {
        var values = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12345, 1_000_000, Int.max, Int.min, -1, -10, -99, -100, -12345]
        var generator = SystemRandomNumberGenerator()
        values += (0..<200).map { _ in Int.random(in: -10_000_000...10_000_000, using: &generator) }
        for value in values {
            var out: [UInt8] = [7]
            DiagnosticFragments.appendDecimal(value, to: &out)
            #expect(out == [7] + Array(String(value).utf8), "\(value)")
            #expect(DiagnosticFragments.decimalLength(value) == String(value).utf8.count, "\(value)")
        }
    }

    @Test func noDiagnosticsIsAnEmptyArray() throws {
        let cache = DiagnosticFragmentCache(uri: "u")
        let got = cache.publishBody(
            version: 3, annotations: [], graph: AnnotationGraph([]), lineIndex: LineIndex(""), encoding: .utf16,
            severity: { _ in .hint })
        let value = try JSONParser().parse(got)
        #expect(value["params"]?["diagnostics"] == [])
        #expect(value["params"]?["version"] == 3)
    }
}
