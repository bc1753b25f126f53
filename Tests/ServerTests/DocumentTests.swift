import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing
import TextModel

@Suite struct DocumentTests {
    @Test func openPublishesDiagnosticsWithKindCodeAndAnnotationData() throws {
        let client = makeClient()
        try client.initialize()
        client.open(uri: "file:///a.txt", text: "It may rain.\nربما")
        let diagnostics = try client.waitForDiagnostics(uri: "file:///a.txt", version: 1)
        #expect(diagnostics.count == 2)
        let first = diagnostics[0]
        #expect(first["code"] == "hedge")
        #expect(first["source"] == "scholia")
        #expect(first["severity"] == 4)
        #expect(first["range"] == ["start": ["line": 0, "character": 3], "end": ["line": 0, "character": 6]])
        #expect(first["data"]?["text"] == "may")
        #expect(first["data"]?["module"] == "keywords")
        #expect(first["data"]?["start"] == 3)
        #expect(first["data"]?["end"] == 6)
        // The kind and range are the diagnostic's own `code` and `range`, not repeated in `data`.
        #expect(first["data"]?.objectValue?.keys.sorted() == ["attributes", "end", "id", "links", "module", "start", "text"])
        #expect(diagnostics[1]["range"] == ["start": ["line": 1, "character": 0], "end": ["line": 1, "character": 4]])
    }

    /// An incremental edit in Arabic and emoji text, with positions counted in each encoding.
    @Test(arguments: PositionEncoding.allCases)
    func incrementalEditsAreAppliedInTheNegotiatedEncoding(encoding: PositionEncoding) throws {
        let client = makeClient()
        try client.initialize(encodings: [encoding.rawValue])
        let marked = MarkedText("😀 قال الوزير ¦الآن¦ إن المحادثات")
        client.open(uri: "u", text: marked.text)
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        let index = LineIndex(marked.text)
        let range = index.range(ofUTF8: marked.positions[0]..<marked.positions[1], in: encoding)
        client.notify("textDocument/didChange", [
            "textDocument": ["uri": "u", "version": 2],
            "contentChanges": [["range": AnnotationJSONWriter.json(range), "text": "ربما 😀"]],
        ])
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 2)
        #expect(diagnostics.count == 3)
        let annotated = try client.call("scholia/annotate", ["uri": "u"])
        let expected = "😀 قال الوزير ربما 😀 إن المحادثات"
        #expect(annotated["version"] == 2)
        // The hedge's offsets are in the negotiated encoding.
        let hedge = annotated["annotations"]?.arrayValue?.first { $0["text"] == "ربما" }
        let hedgeStart = LineIndex(expected).offset(fromUTF8: Array(expected.utf8).firstRange(of: Array("ربما".utf8))!.lowerBound, to: encoding)
        #expect(hedge?["start"] == .integer(Int64(hedgeStart)))
    }

    @Test func anEditOutsideTheDocumentIsLoggedAndChangesNothing() throws {
        let client = makeClient()
        try client.initialize()
        client.open(uri: "u", text: "it may")
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        client.notify("textDocument/didChange", [
            "textDocument": ["uri": "u", "version": 2],
            "contentChanges": [
                ["range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 2]], "text": "IT"],
                ["range": ["start": ["line": 9, "character": 0], "end": ["line": 9, "character": 1]], "text": "x"],
            ],
        ])
        let log = try client.waitForNotification("window/logMessage")
        #expect(log["type"] == 1)
        #expect(log["message"]?.stringValue?.contains("line 9 is outside the document") == true)
        let annotated = try client.call("scholia/annotate", ["uri": "u"])
        #expect(annotated["version"] == 1)
        #expect(annotated["annotations"]?.arrayValue?.first?["start"] == 3)
    }

    @Test func closeClearsDiagnostics() throws {
        let client = makeClient()
        try client.initialize()
        client.open(uri: "u", text: "may")
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        client.notify("textDocument/didClose", ["textDocument": ["uri": "u"]])
        let params = try client.waitForNotification("textDocument/publishDiagnostics")
        #expect(params["diagnostics"] == [])
        #expect(try client.request("scholia/annotate", ["uri": "u"]).errorCode == RPCError.invalidParamsCode)
    }

    @Test func badNotificationParamsAreLogged() throws {
        let client = makeClient()
        try client.initialize()
        client.notify("textDocument/didOpen", ["textDocument": ["uri": "u"]])
        let log = try client.waitForNotification("window/logMessage")
        #expect(log["message"]?.stringValue?.contains("missing 'version'") == true)
    }
}
