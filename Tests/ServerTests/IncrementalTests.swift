import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
import Server
import Testing
import TextModel

@Suite struct IncrementalTests {
    /// The annotations a full run finds in `text` (the `scholia/annotate` request never reuses anything).
    func fullRun(_ client: TestClient, _ text: String) throws -> [JSONValue] {
        try client.call("scholia/annotate", ["text": .string(text)])["annotations"]?.arrayValue ?? []
    }

    /// The annotations of a full run that get a diagnostic by default: all but the cues linked to a
    /// source (`cueDiagnostics` `unsourced`).
    func shown(_ annotations: [JSONValue]) -> [JSONValue] {
        annotations.filter { annotation in
            annotation["kind"] != "cue" || !(annotation["links"]?.arrayValue ?? []).contains { $0["rel"] == "source" }
        }
    }

    /// The annotations the diagnostics of a version carry: `data` with the kind and range put back
    /// from the diagnostic's `code` and `range`.
    func published(_ client: TestClient, version: Int) throws -> [JSONValue] {
        annotations(in: try client.waitForDiagnostics(uri: "u", version: version))
    }

    func annotations(in diagnostics: [JSONValue]) -> [JSONValue] {
        diagnostics.compactMap { diagnostic in
            guard var data = diagnostic["data"]?.objectValue else { return nil }
            data["kind"] = diagnostic["code"]
            data["range"] = diagnostic["range"]
            return .object(data)
        }
    }

    @Test func onlyTheChangedParagraphAndItsNeighboursAreAnnotatedAgain() throws {
        let log = CallLog()
        let client = TestClient(registry: ModuleRegistry(builtins: [RecordingAnnotator(log: log)]))
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        let text = "p0 may\np1\np2 may\np3\np4 may"
        client.open(uri: "u", text: text)
        #expect(try published(client, version: 1).count == 3)
        log.reset()
        client.changeRange(uri: "u", version: 2, range: TextRange(start: .init(line: 2, character: 2), end: .init(line: 2, character: 2)), text: " may")
        let after = try published(client, version: 2)
        #expect(log.all == ["p1\np2 may may\np3"])
        let expected = shown(try fullRun(client, "p0 may\np1\np2 may may\np3\np4 may"))
        #expect(after == expected)
        #expect(after.map { $0["id"] } == ["hedge-1", "hedge-2", "hedge-3", "hedge-4"])
    }

    @Test func aLinkAcrossTheWindowEdgeFallsBackToAFullRun() throws {
        let log = CallLog()
        let client = TestClient(registry: ModuleRegistry(builtins: [AttributionAnnotator(), RecordingAnnotator(log: log)]))
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        // The quote names its speaker in the next paragraph, which is the first paragraph of the
        // window of an edit one paragraph further down: the link crosses the window's edge.
        let text = "a\n“we go”\nofficials\ny\nz"
        client.open(uri: "u", text: text)
        let before = try published(client, version: 1)
        #expect(before.contains { $0["kind"] == "quote" && $0["links"]?.arrayValue?.isEmpty == false })
        log.reset()
        let edited = "a\n“we go”\nofficials\ny may\nz"
        client.change(uri: "u", version: 2, text: edited)
        let after = try published(client, version: 2)
        // The server ran on the whole text, not on the window "officials ... z".
        #expect(log.all == [edited])
        #expect(after == shown(try fullRun(client, edited)))
    }

    /// Random edits to a multi-paragraph document: whatever the server reuses, every version's
    /// annotations equal a full run's.
    /// Opens `text`, makes 39 random edits (cuts at scalar boundaries, inserting one of `pieces`
    /// or nothing), and checks each version's published annotations against a full run.
    func expectRandomEditsMatchFullRuns(
        _ client: TestClient, text start: String, pieces: [String], cueDiagnostics: String = "unsourced"
    ) throws {
        try client.initializeEditor(options: ["debounceMilliseconds": 0, "cueDiagnostics": .string(cueDiagnostics)])
        let expected = { (full: [JSONValue]) in cueDiagnostics == "all" ? full : self.shown(full) }
        var text = start
        client.open(uri: "u", text: text)
        _ = try published(client, version: 1)
        var generator = SystemRandomNumberGenerator()
        for version in 2...40 {
            var bytes = Array(text.utf8)
            // Cut at scalar boundaries only.
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            let a = boundaries.randomElement(using: &generator)!
            let b = min(boundaries.filter { $0 >= a }.randomElement(using: &generator)!, a + 12)
            let end = boundaries.last { $0 <= b }!
            let insert = Bool.random(using: &generator) ? pieces.randomElement(using: &generator)! : ""
            let range = LineIndex(text).range(ofUTF8: a..<end, in: .utf16)
            bytes.replaceSubrange(a..<end, with: Array(insert.utf8))
            text = String(decoding: bytes, as: UTF8.self)
            client.changeRange(uri: "u", version: version, range: range, text: insert)
            let pushed = try client.waitForDiagnostics(uri: "u", version: version)
            let got = annotations(in: pushed)
            #expect(got == expected(try fullRun(client, text)), "after version \(version): \(text.debugDescription)")
            // The whole diagnostics (messages, related information) as pulling builds them anew.
            let pulled = try client.call("textDocument/diagnostic", ["textDocument": ["uri": "u"]])["items"]
            #expect(JSONValue.array(pushed) == pulled, "after version \(version): \(text.debugDescription)")
        }
    }

    @Test func randomEditsAlwaysMatchAFullRun() throws {
        try expectRandomEditsMatchFullRuns(
            makeEditorClient(),
            text: "officials said “we may go”\n\nReuters may\nthe minister said\n“ok” x\n\nend may",
            pieces: ["may", "officials said", "“we may go”", "Reuters", "the minister said", "x", "ربما", "\n", "\n\n", " ", "”", "“", " said"])
    }

    @Test func whatTheSourcesModuleDecidesReachesNoFurtherThanANeighbour() throws {
        // `Stein` opens its sentence; whether it is a name is decided from the paragraphs around
        // it. Far-away text (`Jill Stein` in the first paragraph) must not count, or a window
        // run after an edit would disagree with a full run. The built-in modules, not test ones.
        let client = TestClient()
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        var text = "Jill Stein ran again.\n\nThe rally was long.\n\nThe crowd was small.\n\nIt rained.\n\nStein said she would win."
        client.open(uri: "u", text: text)
        _ = try published(client, version: 1)
        let index = LineIndex(text)
        let at = Array(text.utf8).count - Array(" win.".utf8).count
        client.changeRange(uri: "u", version: 2, range: index.range(ofUTF8: at..<at, in: .utf16), text: " surely")
        text = String(text.prefix(text.count - " win.".count)) + " surely win."
        let got = try published(client, version: 2)
        let full = try fullRun(client, text)
        #expect(got == shown(full))
        #expect(full.contains { $0["text"]?.stringValue == "Stein" })
    }

    @Test(arguments: ["unsourced", "all"])
    func randomEditsWithTheBuiltInModulesMatchAFullRun(cueDiagnostics: String) throws {
        try expectRandomEditsMatchFullRuns(
            TestClient(),
            text: "Jill Stein ran.\n\n“We may win,” she said.\n\nStein said the Post may be wrong.\n\nوقال الوزير إن المحادثات قد تستأنف.",
            pieces: ["Stein said", "Jill Stein", "He’s claimed that", "“we may go,” said Kamin, who noted that",
                     "according to officials", "وقال الوزير إن", "ربما", "\n", "\n\n", " ", "”", "“", "The Post"],
            cueDiagnostics: cueDiagnostics)
    }

    /// Edits sent without waiting, with requests between them: runs overlap, one owns the previous
    /// annotations while the others wait for it or start from a copy; the last version still
    /// ends as a full run, pushed and pulled alike.
    @Test func rapidEditsWithRequestsEndAsAFullRun() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        var text = (0..<40).map { "p\($0) officials said “we may go” may" }.joined(separator: "\n")
        client.open(uri: "u", text: text)
        _ = try published(client, version: 1)
        var generator = SystemRandomNumberGenerator()
        for version in 2...40 {
            let index = LineIndex(text)
            let line = Int.random(in: 0..<index.lineCount, using: &generator)
            let at = index.lineStarts[line] + 2
            let insert = ["x", " may", " said", "\n"].randomElement(using: &generator)!
            client.changeRange(uri: "u", version: version, range: index.range(ofUTF8: at..<at, in: .utf16), text: insert)
            var bytes = Array(text.utf8)
            bytes.insert(contentsOf: Array(insert.utf8), at: at)
            text = String(decoding: bytes, as: UTF8.self)
            if version % 3 == 0 {
                // Answered, or refused as out of date: either way never wrong.
                _ = try client.request("textDocument/semanticTokens/full", ["textDocument": ["uri": "u"]])
            }
        }
        let pushed = try client.waitForDiagnostics(uri: "u", version: 40)
        #expect(annotations(in: pushed) == shown(try fullRun(client, text)))
        let pulled = try client.call("textDocument/diagnostic", ["textDocument": ["uri": "u"]])["items"]
        #expect(JSONValue.array(pushed) == pulled)
    }

    /// The language is detected from a text's first 64 KB: an edit after them keeps it without
    /// detecting again, an edit in them detects again; either way as a full run decides.
    @Test func theLanguageOfALongDocumentIsDecidedByItsStart() throws {
        let client = TestClient()
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        let english = String(repeating: "The talks went on for a long time today.\n", count: 1700)
        let arabic = String(repeating: "قال الوزير إن المحادثات ستستمر اليوم.\n", count: 1700)
        var text = english + "He may go. قد يذهب الوزير ربما غدا.\n"
        client.open(uri: "u", text: text)
        #expect(try published(client, version: 1) == shown(try fullRun(client, text)))
        func hedges(_ annotations: [JSONValue]) -> [String] {
            annotations.filter { $0["kind"] == "hedge" }.compactMap { $0["text"]?.stringValue }
        }
        // After the first 64 KB: still English (only the English hedge).
        let end = Array(text.utf8).count
        client.changeRange(uri: "u", version: 2, range: LineIndex(text).range(ofUTF8: end..<end, in: .utf16), text: "ربما x\n")
        text += "ربما x\n"
        let kept = try published(client, version: 2)
        #expect(kept == shown(try fullRun(client, text)))
        #expect(hedges(kept) == ["may"])
        // The first 64 KB become Arabic: detected again.
        let start = LineIndex(text).range(ofUTF8: 0..<Array(english.utf8).count, in: .utf16)
        client.changeRange(uri: "u", version: 3, range: start, text: arabic)
        text = arabic + text.dropFirst(english.count)
        let changed = try published(client, version: 3)
        #expect(changed == shown(try fullRun(client, text)))
        #expect(hedges(changed).contains("ربما"))
    }

    @Test func markdownDocumentsAreReannotatedIncrementallyToo() throws {
        let client = makeEditorClient()
        try client.initializeEditor(options: ["debounceMilliseconds": 0])
        let text = "# Title may\n\nofficials said “we\nmay go”.\n\n```\nmay\n```\n\nLast may."
        client.open(uri: "u", text: text, languageID: "markdown")
        let first = try published(client, version: 1)
        client.change(uri: "u", version: 2, text: text.replacingOccurrences(of: "Last may.", with: "Last may, may."))
        let second = try published(client, version: 2)
        #expect(second.count == first.count + 1)
        #expect(second.prefix(first.count - 1) == first.prefix(first.count - 1))
    }
}
