import JSON
import JSONRPC
import ScholiaTestSupport
import Server
import Testing
import TextModel

@Suite struct SemanticTokenTests {
    // UTF-16: officials 0-9, said 10-14, “ 15, we 16-18, may 19-22, go 23-25, ” 25.
    let text = "officials said “we may go” today"

    @Test func legendIsAdvertised() throws {
        let client = makeEditorClient()
        let result = try client.initializeEditor()
        let provider = result["capabilities"]?["semanticTokensProvider"]
        #expect(provider?["legend"]?["tokenTypes"] == ["hedge", "source", "cue", "quote"])
        #expect(provider?["legend"]?["tokenModifiers"]?.arrayValue?.prefix(4) == ["named", "unnamed", "partial", "nested"])
        #expect(provider?["full"]?["delta"] == true)
        #expect(provider?["range"] == true)
    }

    @Test func nestedSpansAreCutSoTokensNeverOverlap() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        let result = try client.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])
        #expect(result["resultId"]?.stringValue != nil)
        #expect(decodeTokens(result["data"]) == [
            DecodedToken(line: 0, character: 0, length: 9, type: 1, modifiers: 2),    // officials: source, unnamed
            DecodedToken(line: 0, character: 10, length: 4, type: 2, modifiers: 0),   // said: cue
            DecodedToken(line: 0, character: 15, length: 4, type: 3, modifiers: 16),  // “we : quote, attributed
            DecodedToken(line: 0, character: 19, length: 3, type: 0, modifiers: 0),   // may: hedge
            DecodedToken(line: 0, character: 22, length: 4, type: 3, modifiers: 16),  //  go”
        ])
    }

    @Test(arguments: PositionEncoding.allCases)
    func positionsAndLengthsCountInTheNegotiatedEncoding(encoding: PositionEncoding) throws {
        let client = makeEditorClient()
        try client.initializeEditor(encodings: [encoding.rawValue])
        let marked = MarkedText("😀 ⟦ربما⟧ x\n“ok” ⟦may⟧")
        client.open(uri: "u", text: marked.text)
        let tokens = decodeTokens(try client.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])["data"])
        let index = LineIndex(marked.text)
        let expected = marked.spans.map { span in
            let start = index.position(ofUTF8: span.lowerBound, in: encoding)
            let length = index.offset(fromUTF8: span.upperBound, to: encoding) - index.offset(fromUTF8: span.lowerBound, to: encoding)
            return DecodedToken(line: start.line, character: start.character, length: length, type: 0, modifiers: 0)
        }
        #expect(tokens.filter { $0.type == 0 } == expected)
    }

    @Test func multiLineSpansAreSplitPerLineUnlessTheClientTakesMultiLineTokens() throws {
        let quote = "the minister said “we\nmay go”"
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: quote)
        let split = decodeTokens(try client.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])["data"])
        #expect(split.filter { $0.type == 3 } == [
            DecodedToken(line: 0, character: 18, length: 3, type: 3, modifiers: 16),
            DecodedToken(line: 1, character: 3, length: 4, type: 3, modifiers: 16),
        ])
        #expect(split.first == DecodedToken(line: 0, character: 0, length: 12, type: 1, modifiers: 1))

        let multi = makeEditorClient()
        try multi.initializeEditor(capabilities: ["textDocument": ["semanticTokens": ["multilineTokenSupport": true]]])
        multi.open(uri: "u", text: quote)
        let tokens = decodeTokens(try multi.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])["data"])
        #expect(tokens.filter { $0.type == 3 }.first?.length == 4)  // “we plus the line break
    }

    @Test func deltaEditsTurnTheOldTokensIntoTheNew() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        let first = try client.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])
        client.change(uri: "u", version: 2, text: text + "\nReuters may")
        let delta = try client.call("textDocument/semanticTokens/full/delta", [
            "textDocument": textDocument("u"), "previousResultId": first["resultId"]!,
        ])
        var data = first["data"]!.arrayValue!
        for edit in delta["edits"]?.arrayValue ?? [] {
            let start = edit["start"]!.intValue!, count = edit["deleteCount"]!.intValue!
            data.replaceSubrange(start..<(start + count), with: edit["data"]?.arrayValue ?? [])
        }
        let full = try client.call("textDocument/semanticTokens/full", ["textDocument": textDocument("u")])
        #expect(JSONValue.array(data) == full["data"])
        #expect(decodeTokens(full["data"]).suffix(2) == [
            DecodedToken(line: 1, character: 0, length: 7, type: 1, modifiers: 1),
            DecodedToken(line: 1, character: 8, length: 3, type: 0, modifiers: 0),
        ])
        // An unknown previous result gets a full set.
        let unknown = try client.call("textDocument/semanticTokens/full/delta", ["textDocument": textDocument("u"), "previousResultId": "zzz"])
        #expect(unknown["data"] == full["data"])
    }

    @Test func rangeGivesTheTokensInTheRange() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: "may\nofficials said\nmay")
        let result = try client.call("textDocument/semanticTokens/range", [
            "textDocument": textDocument("u"), "range": ["start": position(1, 0), "end": position(2, 0)],
        ])
        #expect(decodeTokens(result["data"]) == [
            DecodedToken(line: 1, character: 0, length: 9, type: 1, modifiers: 2),
            DecodedToken(line: 1, character: 10, length: 4, type: 2, modifiers: 0),
        ])
        let bad = try client.request("textDocument/semanticTokens/range", [
            "textDocument": textDocument("u"), "range": ["start": position(9, 0), "end": position(9, 1)],
        ])
        #expect(bad.errorCode == RPCError.invalidParamsCode)
    }
}

@Suite struct EditorFeatureTests {
    let text = "officials said “we may go” today"

    func client() throws -> TestClient {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: text)
        return client
    }

    @Test func hoverExplainsTheSpansUnderTheCursor() throws {
        let client = try client()
        let hover = try client.call("textDocument/hover", ["textDocument": textDocument("u"), "position": position(0, 20)])
        let value = try #require(hover["contents"]?["value"]?.stringValue)
        #expect(hover["contents"]?["kind"] == "markdown")
        #expect(value.hasPrefix("**Hedge** (test) “may”"))
        #expect(value.contains("**Quote** “we may go”"))
        #expect(value.contains("Speaker: **officials** (unnamed source)"))
        #expect(value.contains("Cue: “said”"))
        #expect(hover["range"] == ["start": position(0, 19), "end": position(0, 22)])
        let nothing = try client.call("textDocument/hover", ["textDocument": textDocument("u"), "position": position(0, 30)])
        #expect(nothing == .null)
        let source = try client.call("textDocument/hover", ["textDocument": textDocument("u"), "position": position(0, 2)])
        #expect(source["contents"]?["value"]?.stringValue?.contains("Quote: “we may go”") == true)
    }

    @Test func hoverIsPlainTextForClientsWithoutMarkdown() throws {
        let client = makeEditorClient()
        try client.initializeEditor(capabilities: ["textDocument": ["hover": ["contentFormat": ["plaintext"]]]])
        client.open(uri: "u", text: text)
        let hover = try client.call("textDocument/hover", ["textDocument": textDocument("u"), "position": position(0, 2)])
        #expect(hover["contents"]?["kind"] == "plaintext")
        #expect(hover["contents"]?["value"]?.stringValue?.hasPrefix("Unnamed source “officials”") == true)
    }

    @Test func outlineGroupsSourcesQuotesAndHedges() throws {
        let client = makeEditorClient()
        try client.initializeEditor()
        client.open(uri: "u", text: "officials said “we may go”, Reuters said. officials may")
        let symbols = try client.call("textDocument/documentSymbol", ["textDocument": textDocument("u")]).arrayValue ?? []
        #expect(symbols.map { $0["name"] } == ["Sources", "Quotes", "Hedges"])
        #expect(symbols[0]["detail"] == "3: 1 named, 2 unnamed")
        let sources = symbols[0]["children"]?.arrayValue ?? []
        #expect(sources.map { $0["name"] } == ["officials", "Reuters"])
        #expect(sources[0]["detail"] == "unnamed · 2 mentions")
        #expect(sources[0]["children"]?.arrayValue?.count == 2)
        #expect(symbols[1]["children"]?.arrayValue?.first?["detail"] == "— officials")
        #expect(symbols[2]["detail"] == "2")
    }

    @Test func inlayHintsNameSpeakersAndSourceKinds() throws {
        let client = try client()
        let hints = try client.call("textDocument/inlayHint", [
            "textDocument": textDocument("u"), "range": ["start": position(0, 0), "end": position(0, 40)],
        ]).arrayValue ?? []
        #expect(hints.map { $0["label"] } == ["unnamed", "— officials"])
        #expect(hints.map { $0["position"] } == [position(0, 9), position(0, 26)])
        let none = try client.call("textDocument/inlayHint", [
            "textDocument": textDocument("u"), "range": ["start": position(0, 27), "end": position(0, 30)],
        ])
        #expect(none == [])
    }

    @Test func codeLensShowsTheProfileOnTheFirstLine() throws {
        let client = try client()
        let lenses = try client.call("textDocument/codeLens", ["textDocument": textDocument("u")]).arrayValue ?? []
        #expect(lenses.count == 1)
        #expect(lenses.first?["command"]?["title"] == "0 named · 1 unnamed source · 1 hedge · 1 quote")
        #expect(lenses.first?["range"]?["start"] == position(0, 0))
    }

    @Test func highlightLightsAQuoteItsSpeakerAndCue() throws {
        let client = try client()
        let fromQuote = try client.call("textDocument/documentHighlight", ["textDocument": textDocument("u"), "position": position(0, 16)])
        #expect(fromQuote.arrayValue?.map { $0["range"]?["start"] } == [position(0, 0), position(0, 10), position(0, 15)])
        #expect(fromQuote.arrayValue?.map { $0["kind"] } == [2, 2, 1])
        let fromSpeaker = try client.call("textDocument/documentHighlight", ["textDocument": textDocument("u"), "position": position(0, 3)])
        #expect(fromSpeaker.arrayValue?.count == 3)
        let nothing = try client.call("textDocument/documentHighlight", ["textDocument": textDocument("u"), "position": position(0, 30)])
        #expect(nothing == [])
    }

    @Test func badPositionsAndMissingFieldsAreInvalidParams() throws {
        let client = try client()
        let cases: [(String, JSONValue)] = [
            ("textDocument/hover", ["textDocument": textDocument("u")]),
            ("textDocument/hover", ["textDocument": textDocument("u"), "position": position(5, 0)]),
            ("textDocument/hover", ["textDocument": textDocument("u"), "position": ["line": "0", "character": 0]]),
            ("textDocument/documentHighlight", ["textDocument": textDocument("u"), "position": position(-1, 0)]),
            ("textDocument/inlayHint", ["textDocument": textDocument("u")]),
            ("textDocument/codeLens", ["textDocument": textDocument("closed")]),
            ("textDocument/documentSymbol", "not an object"),
            ("textDocument/semanticTokens/full/delta", ["textDocument": textDocument("u")]),
        ]
        for (method, params) in cases {
            #expect(try client.request(method, params).errorCode == RPCError.invalidParamsCode, "\(method) \(params)")
        }
    }
}
