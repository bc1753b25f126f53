import JSON
import JSONRPC
import ModuleHost
import ScholiaTestSupport
import Server
import Testing

func makeClient(_ annotators: [any AnnotationModel.Annotator] = [KeywordAnnotator(words: ["ربما", "may", "😀"])]) -> TestClient {
    TestClient(registry: ModuleRegistry(builtins: annotators))
}

import AnnotationModel

@Suite struct LifecycleTests {
    @Test func requestBeforeInitializeIsRefused() throws {
        let client = makeClient()
        let result = try client.request("scholia/modules")
        #expect(result.errorCode == RPCError.serverNotInitializedCode)
        try client.initialize()
        #expect(try client.request("scholia/modules").errorCode == nil)
    }

    @Test func initializeAnswersCapabilitiesAndServerInfo() throws {
        let client = makeClient()
        let result = try client.initialize()
        #expect(result["serverInfo"]?["name"] == "scholia")
        #expect(result["capabilities"]?["positionEncoding"] == "utf-16")
        #expect(result["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(result["capabilities"]?["textDocumentSync"]?["openClose"] == true)
    }

    @Test(arguments: [
        (["utf-8", "utf-16"], "utf-8"), (["utf-32"], "utf-32"), (["utf-7", "utf-16"], "utf-16"), ([], "utf-16"),
    ])
    func positionEncodingIsNegotiated(offered: [String], chosen: String) throws {
        let client = makeClient()
        let result = try client.initialize(encodings: offered)
        #expect(result["capabilities"]?["positionEncoding"] == .string(chosen))
    }

    @Test func initializeTwiceIsAnInvalidRequest() throws {
        let client = makeClient()
        try client.initialize()
        #expect(try client.request("initialize", ["capabilities": [:]]).errorCode == RPCError.invalidRequestCode)
    }

    @Test func shutdownThenExitExitsWithZero() throws {
        let client = makeClient()
        try client.initialize()
        #expect(try client.call("shutdown") == .null)
        #expect(try client.request("scholia/modules").errorCode == RPCError.invalidRequestCode)
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownExitsWithOne() throws {
        let client = makeClient()
        try client.initialize()
        client.notify("exit")
        #expect(try client.waitForExit() == 1)
    }

    @Test func endOfInputWithoutShutdownExitsWithOne() throws {
        let client = makeClient()
        try client.initialize()
        client.server.endOfInput()
        #expect(try client.waitForExit() == 1)
    }

    @Test func unknownMethodIsMethodNotFound() throws {
        let client = makeClient()
        try client.initialize()
        let result = try client.request("textDocument/unheardOf")
        #expect(result.errorCode == RPCError.methodNotFoundCode)
    }

    @Test func invalidJSONIsAParseErrorWithNullIDAndTheServerGoesOn() throws {
        let client = makeClient()
        try client.initialize()
        client.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ")
        let reply = try client.waitFor { if case .response(nil, .failure) = $0 { return true } else { return false } }
        guard case .response(_, .failure(let error)) = reply else { Issue.record("no error"); return }
        #expect(error.code == RPCError.parseErrorCode)
        #expect(try client.request("scholia/modules").errorCode == nil)
    }

    @Test func invalidRequestKeepsItsID() throws {
        let client = makeClient()
        try client.initialize()
        client.sendRaw(#"{"jsonrpc": "1.0", "id": "x", "method": "scholia/modules"}"#)
        let reply = try client.waitFor { if case .response(.string("x"), _) = $0 { return true } else { return false } }
        guard case .response(_, .failure(let error)) = reply else { Issue.record("no error"); return }
        #expect(error.code == RPCError.invalidRequestCode)
    }

    @Test func aBatchIsAnsweredAsOneBatch() throws {
        let client = makeClient()
        try client.initialize()
        client.sendRaw(#"""
            [{"jsonrpc": "2.0", "id": 1, "method": "scholia/modules"},
             {"jsonrpc": "2.0", "method": "initialized"},
             {"jsonrpc": "2.0", "id": "two", "method": "nope"},
             {"jsonrpc": "2.0", "id": 3, "method": "scholia/annotate", "params": {"text": "it may"}},
             42]
            """#)
        let params = try client.waitForNotification("$/test/batch")
        let replies = params.arrayValue ?? []
        #expect(replies.count == 4)
        let ids = Set(replies.compactMap { $0["id"] })
        #expect(ids == [1, "two", 3, .null])
        let byID = Dictionary(replies.map { ($0["id"]!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID["two"]?["error"]?["code"] == .integer(Int64(RPCError.methodNotFoundCode)))
        #expect(byID[.null]?["error"]?["code"] == .integer(Int64(RPCError.invalidRequestCode)))
        #expect(byID[3]?["result"]?["annotations"]?.arrayValue?.count == 1)
    }

    @Test func aBatchOfNotificationsGetsNoAnswer() throws {
        let client = makeClient()
        try client.initialize()
        client.sendRaw(#"[{"jsonrpc": "2.0", "method": "initialized"}, {"jsonrpc": "2.0", "method": "$/setTrace", "params": {"value": "off"}}]"#)
        #expect(try client.request("scholia/modules").errorCode == nil)
        #expect(client.drain().isEmpty)
    }
}

extension Result where Success == JSONValue, Failure == RPCError {
    var errorCode: Int? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
