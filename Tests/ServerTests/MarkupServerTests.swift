import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing
import TextModel

@Suite struct MarkupServerTests {
    func hedgeStarts(_ diagnostics: [JSONValue]) -> [JSONValue] {
        diagnostics.filter { $0["code"] == "hedge" }.map { $0["range"]!["start"]! }
    }

    @Test func markdownCodeAndURLsAreNotAnnotated() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        let text = "---\ntitle: may\n---\nIntro may\n\n```\nmay\n```\n\n`may` and https://may.example/may [may](https://may.x) may"
        client.open(uri: "doc.md", text: text, languageID: "markdown")
        let diagnostics = try client.waitForDiagnostics(uri: "doc.md", version: 1)
        #expect(hedgeStarts(diagnostics) == [position(3, 6), position(9, 35), position(9, 55)])
        // The same text as plain text is annotated everywhere.
        client.open(uri: "doc.txt", text: text)
        #expect(hedgeStarts(try client.waitForDiagnostics(uri: "doc.txt", version: 1)).count == 9)
    }

    @Test func htmlEntitiesAreDecodedAndSpansPointIntoTheSource() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        let marked = MarkedText("<p>⟦&ldquo;we may go&rdquo;⟧ officials\nsaid</p><script>may()</script>")
        client.open(uri: "a.html", text: marked.text, languageID: "html")
        let diagnostics = try client.waitForDiagnostics(uri: "a.html", version: 1)
        let quote = try #require(diagnostics.first { $0["code"] == "quote" })
        let index = LineIndex(marked.text)
        #expect(quote["range"] == AnnotationJSONWriter.json(index.range(ofUTF8: marked.spans[0], in: .utf16)))
        #expect(quote["data"]?["text"] == "&ldquo;we may go&rdquo;")
        #expect(quote["message"] == "Quote — officials: &ldquo;we may go&rdquo;")
        // The soft line break inside the paragraph joined "officials" and "said".
        #expect(diagnostics.first { $0["code"] == "source" }?["message"] == "Unnamed source: “officials” (cue: said)")
        #expect(hedgeStarts(diagnostics).count == 1)
    }

    @Test func ignoreDirectivesSwitchModulesOff() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        let text = "may\n<!-- scholia-disable-next-line -->\nmay officials said\nmay\n<!-- scholia-disable attribution -->\nmay officials said\n<!-- scholia-enable -->\nofficials"
        client.open(uri: "d.md", text: text, languageID: "markdown")
        let diagnostics = try client.waitForDiagnostics(uri: "d.md", version: 1)
        #expect(hedgeStarts(diagnostics) == [position(0, 0), position(3, 0), position(5, 0)])
        let sources = diagnostics.filter { $0["code"] == "source" }.map { $0["range"]!["start"]! }
        #expect(sources == [position(7, 0)])
    }

    @Test func codeActionInsertsADisableCommentAboveTheLine() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        let text = "Intro.\n  - may happen\n"
        client.open(uri: "d.md", text: text, languageID: "markdown")
        let diagnostics = try client.waitForDiagnostics(uri: "d.md", version: 1)
        #expect(diagnostics.count == 1)
        let actions = try client.call("textDocument/codeAction", [
            "textDocument": textDocument("d.md"), "range": diagnostics[0]["range"]!,
            "context": ["diagnostics": .array(diagnostics)],
        ]).arrayValue ?? []
        #expect(actions.map { $0["title"] } == ["Ignore this line with scholia-disable-next-line", "Ignore module keywords on this line"])
        #expect(actions.first?["kind"] == "quickfix")
        let edit = try #require(actions.first?["edit"]?["changes"]?["d.md"]?.arrayValue?.first)
        #expect(edit == ["range": ["start": position(1, 0), "end": position(1, 0)], "newText": "  <!-- scholia-disable-next-line -->\n"])
        client.changeRange(uri: "d.md", version: 2, range: TextRange(start: .init(line: 1, character: 0), end: .init(line: 1, character: 0)),
                           text: edit["newText"]!.stringValue!)
        #expect(try client.waitForDiagnostics(uri: "d.md", version: 2).isEmpty)
    }

    @Test func codeActionsWithoutContextDiagnosticsUseTheAnnotationsInRange() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "d.html", text: "<p>ok</p>\r\n<p>it may</p>", languageID: "html")
        let actions = try client.call("textDocument/codeAction", [
            "textDocument": textDocument("d.html"), "range": ["start": position(1, 7), "end": position(1, 7)], "context": ["diagnostics": []],
        ]).arrayValue ?? []
        let edit = actions.first?["edit"]?["changes"]?["d.html"]?.arrayValue?.first
        #expect(edit?["newText"] == "<!-- scholia-disable-next-line -->\r\n")
        #expect(edit?["range"]?["start"] == position(1, 0))
    }

    @Test func plainTextGetsNoCodeActions() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "d.txt", text: "may")
        let actions = try client.call("textDocument/codeAction", [
            "textDocument": textDocument("d.txt"), "range": ["start": position(0, 0), "end": position(0, 3)], "context": ["diagnostics": []],
        ])
        #expect(actions == [])
        #expect(try client.request("textDocument/codeAction", ["textDocument": textDocument("d.txt")]).errorCode == RPCError.invalidParamsCode)
    }
}
