import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
import Server
import Testing

@Suite struct AnnotateRequestTests {
    @Test func annotatesTextWithOffsetsInTheNegotiatedEncoding() throws {
        let client = makeClient()
        try client.initialize(encodings: ["utf-16"])
        let result = try client.call("scholia/annotate", ["text": "😀 may"])
        #expect(result["language"] == "en")
        let annotation = result["annotations"]?.arrayValue?.last
        #expect(annotation?["id"] == "hedge-2")
        #expect(annotation?["start"] == 3)  // the emoji is two UTF-16 units, then a space
        #expect(annotation?["end"] == 6)
        #expect(annotation?["range"]?["start"]?["character"] == 3)
        #expect(annotation?["attributes"] == ["category": "test"])
        #expect(annotation?["links"] == [])
    }

    @Test func languageIsDetectedOrGiven() throws {
        let client = makeClient()
        try client.initialize()
        #expect(try client.call("scholia/annotate", ["text": "قال الوزير ربما"])["language"] == "ar")
        #expect(try client.call("scholia/annotate", ["text": "قال الوزير ربما", "language": "en"])["language"] == "en")
        let bad = try client.request("scholia/annotate", ["text": "x", "language": "fr"])
        #expect(bad.errorCode == RPCError.invalidParamsCode)
    }

    @Test func invalidParamsAreNamed() throws {
        let client = makeClient()
        try client.initialize()
        for params: JSONValue in [[:], ["text": 5], ["text": "a", "uri": "b"], ["uri": "not-open"], ["text": "a", "modules": ["nope"]], [1, 2]] {
            let result = try client.request("scholia/annotate", params)
            guard case .failure(let error) = result else { Issue.record("accepted \(params)"); continue }
            #expect(error.code == RPCError.invalidParamsCode, "\(params)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func modulesCanBeChosen() throws {
        let client = makeClient([KeywordAnnotator(name: "a", words: ["x"]), KeywordAnnotator(name: "b", words: ["y"], kind: .cue)])
        try client.initialize()
        let result = try client.call("scholia/annotate", ["text": "x y", "modules": ["b"]])
        #expect(result["annotations"]?.arrayValue?.map { $0["module"] } == ["b"])
    }

    @Test func aFailingModuleIsReportedAndTheOthersStillAnswer() throws {
        let client = makeClient([FailingAnnotator(), KeywordAnnotator(words: ["may"])])
        try client.initialize()
        let result = try client.call("scholia/annotate", ["text": "it may"])
        #expect(result["annotations"]?.arrayValue?.count == 1)
        #expect(result["failures"]?.arrayValue?.first?["module"] == "failing")
    }

    @Test func cancelRequestCancels() throws {
        let client = makeClient([SlowAnnotator()])
        try client.initialize()
        client.server.receive(.single(.success(.request(id: .string("slow"), method: "scholia/annotate", params: ["text": "anything"]))))
        client.notify("$/cancelRequest", ["id": "slow"])
        let reply = try client.waitFor { if case .response(.string("slow"), _) = $0 { return true } else { return false } }
        guard case .response(_, .failure(let error)) = reply else { Issue.record("not cancelled"); return }
        #expect(error.code == RPCError.requestCancelledCode)
    }

    @Test func modulesAreListed() throws {
        let client = makeClient()
        try client.initialize()
        let modules = try client.call("scholia/modules")["modules"]?.arrayValue ?? []
        #expect(modules.count == 1)
        #expect(modules[0]["name"] == "keywords")
        #expect(modules[0]["origin"] == "builtin")
        #expect(modules[0]["status"] == "loaded")
        #expect(modules[0]["kinds"] == [["kind": "hedge", "severity": "hint", "tokenType": "hedge"]])
    }
}
