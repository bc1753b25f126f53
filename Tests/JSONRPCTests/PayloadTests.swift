import JSON
import JSONRPC
import Testing

func decode(_ text: String) -> Result<Payload, RPCError> { Payload.decode(Array(text.utf8)) }

func single(_ text: String) throws -> Result<Message, InvalidMessage> {
    guard case .single(let item) = try decode(text).get() else { throw RPCError.internalError("not a single message") }
    return item
}

@Suite struct PayloadDecodeTests {
    @Test func emptyBatchIsAnInvalidRequest() {
        #expect(decode("[]") == .failure(.invalidRequest("empty batch")))
        #expect(decode(" [ ] ").failure?.code == RPCError.invalidRequestCode)
    }

    @Test func batchOfNotificationsOnly() throws {
        let payload = try decode(#"[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b","params":[1]}]"#).get()
        #expect(payload == .batch([
            .success(.notification(method: "a", params: nil)),
            .success(.notification(method: "b", params: [1])),
        ]))
    }

    @Test func batchMixesValidAndInvalidEntries() throws {
        let payload = try decode(#"[1,{"jsonrpc":"2.0","id":"x","method":"m"},{"jsonrpc":"1.0","id":2,"method":"m"}]"#).get()
        guard case .batch(let items) = payload else {
            Issue.record("not a batch: \(payload)")
            return
        }
        #expect(items.count == 3)
        #expect(items[0].failure?.error.code == RPCError.invalidRequestCode)
        #expect(items[1] == .success(.request(id: .string("x"), method: "m", params: nil)))
        #expect(items[2].failure == InvalidMessage(id: .number(2), error: .invalidRequest("'jsonrpc' must be \"2.0\"")))
    }

    @Test func stringAndNumberIdsAreKeptAsSent() throws {
        #expect(try single(#"{"jsonrpc":"2.0","id":"abc","method":"m"}"#) == .success(.request(id: .string("abc"), method: "m", params: nil)))
        #expect(try single(#"{"jsonrpc":"2.0","id":"7","method":"m"}"#) == .success(.request(id: .string("7"), method: "m", params: nil)))
        #expect(try single(#"{"jsonrpc":"2.0","id":7,"method":"m"}"#) == .success(.request(id: .number(7), method: "m", params: nil)))
        #expect(try single(#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"m"}"#)
            == .success(.request(id: .number(.min), method: "m", params: nil)))
        let reply = Message.response(id: .string("7"), result: .success(.null))
        #expect(reply.json.serializedString() == #"{"jsonrpc":"2.0","id":"7","result":null}"#)
    }

    @Test(arguments: ["1.5", "true", "[1]", #"{"a":1}"#])
    func idOfAWrongTypeIsAnInvalidRequest(id: String) throws {
        let item = try single(#"{"jsonrpc":"2.0","id":\#(id),"method":"m"}"#)
        #expect(item.failure?.error.code == RPCError.invalidRequestCode)
        #expect(item.failure?.id == nil)
    }

    @Test func nullParamsAreTreatedAsAbsent() throws {
        // Some clients write `"params": null` for calls without parameters; it means no params.
        #expect(try single(#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#)
            == .success(.request(id: .number(1), method: "shutdown", params: nil)))
        #expect(try single(#"{"jsonrpc":"2.0","method":"exit","params":null}"#)
            == .success(.notification(method: "exit", params: nil)))
    }

    @Test func scalarParamsAreRefused() throws {
        let item = try single(#"{"jsonrpc":"2.0","id":1,"method":"m","params":3}"#)
        #expect(item.failure == InvalidMessage(id: .number(1), error: .invalidRequest("'params' must be an object or an array, got integer")))
    }

    @Test func nullIdInARequestIsRefused() throws {
        #expect(try single(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#).failure?.error.code == RPCError.invalidRequestCode)
    }

    @Test func responsesAreRead() throws {
        #expect(try single(#"{"jsonrpc":"2.0","id":3,"result":[]}"#) == .success(.response(id: .number(3), result: .success([]))))
        #expect(try single(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#)
            == .success(.response(id: nil, result: .failure(.parseError("x")))))
    }

    @Test func nonJSONIsAParseErrorWithItsPosition() {
        let error = decode("{\"jsonrpc\":\"2.0\",\n \"id\": }").failure
        #expect(error?.code == RPCError.parseErrorCode)
        #expect(error?.message.contains("line 2, column 8 (byte 25)") == true)
        #expect(error?.data?["line"] == 2)
        #expect(error?.data?["column"] == 8)
        #expect(error?.data?["offset"] == 25)
        #expect(error?.data?["reason"] == "syntax")
    }

    @Test func invalidUTF8IsAParseErrorSayingSo() {
        let bytes: [UInt8] = Array(#"{"jsonrpc":"2.0","method":"m","params":[""#.utf8) + [0xC3, 0x28] + Array(#""]}"#.utf8)
        let error = Payload.decode(bytes).failure
        #expect(error?.code == RPCError.parseErrorCode)
        #expect(error?.message.contains("invalid UTF-8") == true)
        #expect(error?.data?["offset"] == 41)  // the 0xC3 that starts no valid sequence
        #expect(error?.data?["reason"] == "invalidUTF8")
    }

    @Test func depthLimitComesFromTheParser() {
        let deep = #"{"jsonrpc":"2.0","method":"m","params":[[[[1]]]]}"#
        #expect(Payload.decode(Array(deep.utf8), parser: JSONParser(maxDepth: 3)).failure?.data?["reason"] == "nestingTooDeep")
        #expect((try? Payload.decode(Array(deep.utf8)).get()) != nil)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
