import Foundation
import JSON
import Testing

/// `scholia serve` driven over pipes as an editor drives it: the real binary, real framing.
@Suite("scholia serve over stdio", .serialized)
struct ServeTests {
    // MARK: Lifecycle

    @Test func lifecycleNegotiatesEncodingAndExitsZeroAfterShutdown() throws {
        let server = try ServerProcess()
        let result = try server.initialize(encodings: ["utf-32", "utf-16"])
        #expect(result["capabilities"]?["positionEncoding"] == "utf-32")
        #expect(result["serverInfo"]?["name"] == "scholia")
        #expect(result["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(try server.shutdownAndExit() == 0)
        #expect(server.undecodable.isEmpty)
    }

    @Test func defaultsToUTF16WhenTheClientOffersNothingItSpeaks() throws {
        let server = try ServerProcess()
        let result = try server.initialize(encodings: ["utf-7"])
        #expect(result["capabilities"]?["positionEncoding"] == "utf-16")
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func exitWithoutShutdownEndsWithStatusOne() throws {
        let server = try ServerProcess()
        try server.initialize()
        server.notify("exit")
        #expect(try server.waitForExit() == 1)
    }

    @Test func closedInputWithoutExitEndsWithStatusOne() throws {
        let server = try ServerProcess()
        try server.initialize()
        server.closeInput()
        #expect(try server.waitForExit() == 1)
    }

    @Test func requestBeforeInitializeIsRefusedAndTheServerGoesOn() throws {
        let server = try ServerProcess()
        let reply = try server.request("scholia/modules")
        #expect(reply["error"]?["code"] == -32002)
        try server.initialize()
        #expect(try server.call("scholia/modules")["modules"]?.arrayValue != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func requestsAfterShutdownAreInvalid() throws {
        let server = try ServerProcess()
        try server.initialize()
        #expect(try server.request("shutdown")["result"] == .null)
        #expect(try server.request("scholia/modules")["error"]?["code"] == -32600)
        server.notify("exit")
        #expect(try server.waitForExit() == 0)
    }

    // MARK: Framing

    @Test func aMessageSplitByteByByteIsRead() throws {
        let server = try ServerProcess()
        let bytes = server.frame(["jsonrpc": "2.0", "id": 1000, "method": "initialize", "params": ["capabilities": [:]]])
        for (i, byte) in bytes.enumerated() {
            server.write([byte])
            // Let some bytes arrive alone; pipes would otherwise merge consecutive small writes.
            if i % 4 == 0 { usleep(500) }
        }
        let reply = try server.response(id: 1000)
        #expect(reply["result"]?["capabilities"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func twoMessagesInOneWriteAreBothAnswered() throws {
        let server = try ServerProcess()
        try server.initialize()
        let first = server.frame(["jsonrpc": "2.0", "id": "a", "method": "scholia/modules"])
        let second = server.frame(["jsonrpc": "2.0", "id": 77, "method": "scholia/modules"])
        server.write(first + second)
        #expect(try server.response(id: "a")["result"] != nil)
        #expect(try server.response(id: 77)["result"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func aBadHeaderIsAnsweredAndTheNextMessageServed() throws {
        let server = try ServerProcess()
        try server.initialize()
        server.write(Array("Content-Length: twelve\r\n\r\n".utf8))
        let error = try server.waitFor { $0["id"] == .null && $0["error"] != nil }
        #expect(error["error"]?["code"] == -32700)
        #expect(try server.call("scholia/modules")["modules"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func invalidJSONGetsParseErrorWithNullIDThenAValidRequestWorks() throws {
        let server = try ServerProcess()
        try server.initialize()
        server.write(server.frame(body: Array(#"{"jsonrpc": "2.0", "id": 5, "method": "#.utf8)))
        let error = try server.waitFor { $0["id"] == .null && $0["error"] != nil }
        #expect(error["error"]?["code"] == -32700)
        #expect(try server.call("scholia/modules")["modules"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func unknownMethodIsMethodNotFound() throws {
        let server = try ServerProcess()
        try server.initialize()
        let reply = try server.request("scholia/doesNotExist")
        #expect(reply["error"]?["code"] == -32601)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func anOverSizeMessageIsRefusedAndSkipped() throws {
        let server = try ServerProcess(arguments: ["--max-message-size", "4096"])
        try server.initialize()
        let huge = String(repeating: "x", count: 100_000)
        server.send(["jsonrpc": "2.0", "id": 9, "method": "scholia/annotate", "params": ["text": .string(huge)]])
        let error = try server.waitFor { $0["id"] == .null && $0["error"] != nil }
        #expect(error["error"]?["code"] == -32600)
        #expect(server.messages.allSatisfy { $0["id"] != 9 })
        #expect(try server.call("scholia/modules")["modules"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func invalidUTF8IsAParseErrorAndTheServerGoesOn() throws {
        let server = try ServerProcess()
        try server.initialize()
        let body = Array(#"{"jsonrpc":"2.0","id":3,"method":"scholia/annotate","params":{"text":"ab"#.utf8)
            + [0xFF, 0xC3] + Array(#""}}"#.utf8)
        server.write(server.frame(body: body))
        let error = try server.waitFor { $0["id"] == .null && $0["error"] != nil }
        #expect(error["error"]?["code"] == -32700)
        #expect(error["error"]?["message"]?.stringValue?.lowercased().contains("utf-8") == true)
        #expect(try server.call("scholia/modules")["modules"] != nil)
        #expect(try server.shutdownAndExit() == 0)
    }

    @Test func newlineDelimitedJSONIsDetectedFromTheFirstByte() throws {
        let server = try ServerProcess(framing: .lines)
        try server.initialize()
        let result = try server.call("scholia/annotate", ["text": "He said “yes” today."])
        #expect(result["annotations"]?.arrayValue != nil)
        #expect(try server.shutdownAndExit() == 0)
        #expect(server.undecodable.isEmpty)
    }

    @Test func aBatchIsAnsweredAsOneArray() throws {
        let server = try ServerProcess()
        try server.initialize()
        server.send([
            ["jsonrpc": "2.0", "id": 21, "method": "scholia/modules"],
            ["jsonrpc": "2.0", "method": "$/setTrace", "params": ["value": "off"]],
            ["jsonrpc": "2.0", "id": 22, "method": "nope"],
        ])
        let batch = try server.waitFor { $0.arrayValue != nil }
        let replies = batch.arrayValue ?? []
        #expect(replies.count == 2)
        #expect(replies.contains { $0["id"] == 21 && $0["result"] != nil })
        #expect(replies.contains { $0["id"] == 22 && $0["error"]?["code"] == -32601 })
        #expect(try server.shutdownAndExit() == 0)
    }
}
