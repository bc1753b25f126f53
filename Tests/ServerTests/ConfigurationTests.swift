import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing

@Suite struct ConfigurationTests {
    let text = "officials said “we may go” today"

    func severities(_ diagnostics: [JSONValue]) -> [String: Int] {
        Dictionary(diagnostics.compactMap { d in d["code"]?.stringValue.map { ($0, d["severity"]?.intValue ?? 0) } },
                   uniquingKeysWith: { a, _ in a })
    }

    @Test func defaultSeveritiesAreHintForHedgesAndInformationForTheRest() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 1)
        // The cue has a source, which names it: no diagnostic of its own (`cueDiagnostics`).
        #expect(severities(diagnostics) == ["hedge": 4, "source": 3, "quote": 3])
    }

    @Test func initializationOptionsSetSeveritiesAndModules() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["severity": ["hedge": "warning", "quote": "off"], "modules": ["keywords"]])
        client.open(uri: "u", text: text)
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 1)
        #expect(severities(diagnostics) == ["hedge": 2])
    }

    @Test func initializationOptionsMayBeWrappedInScholia() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["scholia": ["modules": ["keywords": false]]])
        client.open(uri: "u", text: text)
        #expect(severities(try client.waitForDiagnostics(uri: "u", version: 1)).keys.sorted() == ["quote", "source"])
    }

    @Test(arguments: [
        ["severity": ["hedge": "loud"]], ["modules": ["nope"]], ["language": "fr"], ["debounceMilliseconds": -1],
        ["lexicon": ["attribution": "analysts"]], ["modules": 3],
    ] as [JSONValue])
    func badInitializationOptionsAreInvalidParams(options: JSONValue) throws {
        let client = makeEditorClient()
        let result = try client.request("initialize", ["capabilities": [:], "initializationOptions": options])
        guard case .failure(let error) = result else { Issue.record("accepted \(options)"); return }
        #expect(error.code == RPCError.invalidParamsCode)
        #expect(error.message.contains("initializationOptions."))
    }

    @Test func pushedConfigurationRepublishesOpenDocuments() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["severity": ["source": "error"], "modules": ["attribution": false]]]])
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 1)
        #expect(severities(diagnostics) == ["hedge": 4])
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["severity": ["source": "error"]]]])
        #expect(severities(try client.waitForDiagnostics(uri: "u", version: 1))["source"] == 1)
    }

    @Test func badKeysAreLoggedAndTheRestApplies() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        client.notify("workspace/didChangeConfiguration", ["settings": ["scholia": ["severity": ["hedge": "loud", "cue": "off"]]]])
        let log = try client.waitForNotification("window/logMessage")
        #expect(log["message"]?.stringValue?.contains("settings.scholia.severity.hedge: unknown severity 'loud'") == true)
        #expect(severities(try client.waitForDiagnostics(uri: "u", version: 1)).keys.sorted() == ["hedge", "quote", "source"])
    }

    @Test func theServerAsksForConfigurationWhenTheClientCanAnswer() throws {
        let client = makeEditorClient()
        try client.initializeEditor(capabilities: ["workspace": ["configuration": true]])
        let asked = try client.answerServerRequest("workspace/configuration", with: [["modules": ["keywords": false]]])
        #expect(asked == ["items": [["section": "scholia"]]])
        client.open(uri: "u", text: text)
        #expect(severities(try client.waitForDiagnostics(uri: "u", version: 1))["hedge"] == nil)
        // A pull-model change notification (no settings) makes the server ask again.
        client.notify("workspace/didChangeConfiguration", ["settings": .null])
        try client.answerServerRequest("workspace/configuration", with: [["modules": ["keywords": true], "severity": ["hedge": "information"]]])
        #expect(severities(try client.waitForDiagnostics(uri: "u", version: 1))["hedge"] == 3)
    }

    @Test func lexiconWordsReachTheirModule() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["lexicon": ["attribution": ["Yonhap"]]])
        client.open(uri: "u", text: "Yonhap said it may")
        let diagnostics = try client.waitForDiagnostics(uri: "u", version: 1)
        #expect(diagnostics.contains { $0["message"] == "Named source: “Yonhap” (cue: said)" })
    }

    @Test func languageSettingOverridesDetection() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["language": "ar"])
        let result = try client.call("scholia/annotate", ["text": "it may"])
        #expect(result["language"] == "ar")
    }

    @Test func changesAreDebouncedSoOnlyTheLastVersionIsPublished() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["debounceMilliseconds": 300])
        client.open(uri: "u", text: "may")
        _ = try client.waitForDiagnostics(uri: "u", version: 1)
        client.change(uri: "u", version: 2, text: "may may")
        client.change(uri: "u", version: 3, text: "may may may")
        #expect(try client.waitForDiagnostics(uri: "u", version: 3).count == 3)
        #expect(!client.drain().contains { message in
            if case .notification("textDocument/publishDiagnostics", let params) = message { return params?["version"] == 2 }
            return false
        })
    }
}
