import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing

@Suite struct DiagnosticsPullTests {
    let text = "officials said “we may go” today"

    @Test func messagesReadWellAndLinkRelatedSpans() throws {
        let client = makeEditorClient()
        // Every cue, to see the sourced cue's own diagnostic too.
        try client.initializeEditor(options: ["cueDiagnostics": "all"])
        client.open(uri: "u", text: text)
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 1)
        let byCode = Dictionary(diagnostics.map { ($0["code"]!.stringValue!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byCode["source"]?["message"] == "Unnamed source: “officials” (cue: said)")
        #expect(byCode["hedge"]?["message"] == "Hedge (test): “may”")
        #expect(byCode["cue"]?["message"] == "Attribution cue: “said” (source: officials)")
        #expect(byCode["quote"]?["message"] == "Quote — officials: “we may go”")
        let related = byCode["quote"]?["relatedInformation"]?.arrayValue ?? []
        #expect(related.map { $0["message"]!.stringValue! } == ["Speaker: “officials”", "Cue: “said”"])
        #expect(related.first?["location"]?["uri"] == "u")
        #expect(related.first?["location"]?["range"] == ["start": position(0, 0), "end": position(0, 9)])
        // The cue points at its source; the source at the quote it spoke (its message names the cue).
        #expect(byCode["cue"]?["relatedInformation"]?.arrayValue?.first?["message"] == "Source: “officials”")
        let sourceRelated = byCode["source"]?["relatedInformation"]?.arrayValue?.compactMap { $0["message"]?.stringValue }
        #expect(sourceRelated == ["Quote: “we may go”"])
        #expect(byCode["quote"]?["data"]?["kind"] == nil)
        #expect(byCode["quote"]?["data"]?["range"] == nil)
        #expect(byCode["quote"]?["data"]?["text"] == "“we may go”")
    }

    @Test func capabilitiesAdvertiseDiagnosticProvider() throws {
        let client = makeEditorClient()
        let result = try client.initializeEditor()
        #expect(result["capabilities"]?["diagnosticProvider"]?["interFileDependencies"] == false)
        #expect(result["capabilities"]?["diagnosticProvider"]?["workspaceDiagnostics"] == false)
    }

    @Test func pullGivesFullThenUnchangedReports() throws {
        let client = makeEditorClient()
        try client.initializeEditor(capabilities: ["textDocument": ["diagnostic": ["dynamicRegistration": false]]])
        client.open(uri: "u", text: text)
        let full = try client.call("textDocument/diagnostic", ["textDocument": textDocument("u")])
        #expect(full["kind"] == "full")
        // Hedge, source, quote; the cue is named by its source (`cueDiagnostics`).
        #expect(full["items"]?.arrayValue?.count == 3)
        let resultID = try #require(full["resultId"]?.stringValue)
        let again = try client.call("textDocument/diagnostic", ["textDocument": textDocument("u"), "previousResultId": .string(resultID)])
        #expect(again == ["kind": "unchanged", "resultId": .string(resultID)])
        client.change(uri: "u", version: 2, text: "may")
        let changed = try client.call("textDocument/diagnostic", ["textDocument": textDocument("u"), "previousResultId": .string(resultID)])
        #expect(changed["kind"] == "full")
        #expect(changed["resultId"] != .string(resultID))
        #expect(changed["items"]?.arrayValue?.count == 1)
        // A client that pulls is not pushed to.
        #expect(!client.drain().contains { $0.method == "textDocument/publishDiagnostics" })
    }

    @Test func aConfigurationChangeAsksPullClientsToRefresh() throws {
        let client = makeEditorClient()
        try client.initializeEditor(capabilities: [
            "textDocument": ["diagnostic": [:]],
            "workspace": ["diagnostics": ["refreshSupport": true], "semanticTokens": ["refreshSupport": true]],
        ])
        client.open(uri: "u", text: text)
        let before = try client.call("textDocument/diagnostic", ["textDocument": textDocument("u")])
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["severity": ["quote": "off"]]]])
        try client.answerServerRequest("workspace/diagnostic/refresh", with: .null)
        try client.answerServerRequest("workspace/semanticTokens/refresh", with: .null)
        let after = try client.call("textDocument/diagnostic", [
            "textDocument": textDocument("u"), "previousResultId": before["resultId"]!,
        ])
        #expect(after["kind"] == "full")
        // Hedge and source: quotes are off, and the cue is named by its source.
        #expect(after["items"]?.arrayValue?.count == 2)
    }

    @Test func badParamsAreInvalidParams() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        for params: JSONValue in [[:], ["textDocument": [:]], ["textDocument": textDocument("nope")], ["textDocument": 3]] {
            #expect(try client.request("textDocument/diagnostic", params).errorCode == RPCError.invalidParamsCode, "\(params)")
        }
    }
}
