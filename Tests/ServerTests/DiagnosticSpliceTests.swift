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

    func whole(_ text: String, _ annotations: [Annotation], encoding: PositionEncoding, version: Int,
               severity: @escaping (AnnotationKind) -> AnnotationSeverity?) -> [UInt8] {
        let builder = DiagnosticBuilder(
            uri: "file:///a b/ü.txt", encoder: AnnotationJSONEncoder(lineIndex: LineIndex(text), encoding: encoding),
            severity: severity)
        let message = Message.notification(
            method: "textDocument/publishDiagnostics",
            params: ["uri": "file:///a b/ü.txt", "version": .integer(Int64(version)),
                     "diagnostics": .array(builder.diagnostics(for: annotations))])
        return JSONSerializer().serialize(message.json)
    }

    func spliced(_ cache: DiagnosticFragmentCache, _ text: String, _ annotations: [Annotation], encoding: PositionEncoding,
                 version: Int, severity: @escaping (AnnotationKind) -> AnnotationSeverity?) -> [UInt8] {
        cache.publishBody(
            version: version, annotations: annotations, graph: AnnotationGraph(annotations), lineIndex: LineIndex(text),
            encoding: encoding, severity: severity)
    }

    @Test(arguments: [PositionEncoding.utf8, .utf16, .utf32])
    func splicedEqualsSerializedWholeAcrossEdits(encoding: PositionEncoding) throws {
        let edits = [
            "officials said “we may go” today\n\nReuters may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nReuters may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nReuters said may\nthe minister said\n“ok” x ربما 😀 may",
            "X\nofficials said “we may go” today\n\nmay Reuters said may\nthe minister said\n“ok” x ربما 😀😀 may",
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
