import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing

/// A cue linked to a source is named in that source's diagnostic (`(cue: said)`) and pointed at by
/// its related information; by default it gets no diagnostic of its own. A cue without a source
/// (a dropped subject) does: it is what a reader checking attributions needs to see.
@Suite struct CueDiagnosticsTests {
    /// `said` is linked to `officials` (the toy grammar links a cue to a source within 20 bytes).
    let sourced = "officials said “we may go” today"
    /// No source anywhere near `said`.
    let sourceless = "It was said long ago, and nobody knows who it came from."

    func codes(_ diagnostics: [JSONValue]) -> [String] {
        diagnostics.compactMap { $0["code"]?.stringValue }.sorted()
    }

    func publish(_ text: String, options: JSONValue? = nil) throws -> [JSONValue] {
        let client = makeEditorClient()
        try client.initializeEditor(options: options)
        client.open(uri: "u", text: text)
        return try client.waitForDiagnostics(uri: "u", version: 1)
    }

    @Test func aCueWithASourceHasNoDiagnosticByDefault() throws {
        let diagnostics = try publish(sourced)
        #expect(codes(diagnostics) == ["hedge", "quote", "source"])
        // The source names its cue; its related locations are the quotes it spoke, not the cue
        // beside it.
        let source = try #require(diagnostics.first { $0["code"] == "source" })
        #expect(source["message"] == "Unnamed source: “officials” (cue: said)")
        #expect(source["relatedInformation"]?.arrayValue?.compactMap { $0["message"]?.stringValue } == ["Quote: “we may go”"])
    }

    @Test func allGivesEveryCueItsDiagnostic() throws {
        let diagnostics = try publish(sourced, options: ["cueDiagnostics": "all"])
        #expect(codes(diagnostics) == ["cue", "hedge", "quote", "source"])
    }

    @Test(arguments: ["unsourced", "all"])
    func aCueWithoutASourceHasADiagnostic(setting: String) throws {
        let diagnostics = try publish(sourceless, options: ["cueDiagnostics": .string(setting)])
        #expect(codes(diagnostics) == ["cue"])
        #expect(diagnostics.first?["message"] == "Attribution cue: “said”")
    }

    @Test func theCueSeverityAppliesAndOffTurnsThemAllOff() throws {
        let warned = try publish(sourceless, options: ["severity": ["cue": "warning"]])
        #expect(warned.first?["severity"] == 2)
        #expect(try publish(sourceless, options: ["severity": ["cue": "off"]]).isEmpty)
        let all = try publish(sourced, options: ["severity": ["cue": "off"], "cueDiagnostics": "all"])
        #expect(codes(all) == ["hedge", "quote", "source"])
    }

    @Test func pulledDiagnosticsFollowTheSameRule() throws {
        for (options, expected) in [(nil, ["hedge", "quote", "source"]), (["cueDiagnostics": "all"], ["cue", "hedge", "quote", "source"])]
            as [(JSONValue?, [String])]
        {
            let client = makeEditorClient()
            try client.initializeEditor(
                capabilities: ["textDocument": ["diagnostic": ["dynamicRegistration": false]]], options: options)
            client.open(uri: "u", text: sourced + "\n" + sourceless)
            let report = try client.call("textDocument/diagnostic", ["textDocument": textDocument("u")])
            let items = report["items"]?.arrayValue ?? []
            // The sourceless cue on the second line always has its diagnostic.
            #expect(codes(items) == (expected + ["cue"]).sorted())
        }
    }

    @Test func changingTheSettingRepublishes() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: sourced)
        #expect(!codes(try client.waitForDiagnostics(uri: "u", version: 1)).contains("cue"))
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["cueDiagnostics": "all"]]])
        #expect(codes(try client.waitForDiagnostics(uri: "u", version: 1)).contains("cue"))
    }

    @Test func aBadValueIsReportedAndLeavesTheSetting() throws {
        let client = makeEditorClient()
        let result = try client.request("initialize", ["capabilities": [:], "initializationOptions": ["cueDiagnostics": "some"]])
        guard case .failure(let error) = result else { Issue.record("accepted cueDiagnostics: some"); return }
        #expect(error.code == RPCError.invalidParamsCode)
        #expect(error.message.contains("initializationOptions.cueDiagnostics"))

        let pushed = makeEditorClient()
        try pushed.initializeEditor(options: ["cueDiagnostics": "all"])
        pushed.open(uri: "u", text: sourced)
        _ = try pushed.waitForDiagnostics(uri: "u", version: 1)
        pushed.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["cueDiagnostics": 1, "severity": ["hedge": "off"]]]])
        let log = try pushed.waitForNotification("window/logMessage")
        #expect(log["message"]?.stringValue?.contains(#"settings.scholia.cueDiagnostics must be "unsourced" or "all""#) == true)
        // The rest applied; the bad key kept the value the initialization options set (`all`).
        #expect(codes(try pushed.waitForDiagnostics(uri: "u", version: 1)) == ["cue", "quote", "source"])
    }
}
