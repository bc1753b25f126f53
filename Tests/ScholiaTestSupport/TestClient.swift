import AnnotationModel
import BuiltinModules
import Foundation
import JSON
import JSONRPC
import ModuleHost
import Server

/// Drives a `ScholiaServer` in process, as an editor would over a pipe but without one: requests
/// go straight to `receive`, and everything the server sends is collected for the test to wait on.
public final class TestClient: @unchecked Sendable {
    // @unchecked: `outbox` and `exitCode` are only touched while `condition` is locked.
    public private(set) var server: ScholiaServer!
    private let condition = NSCondition()
    private var outbox: [Message] = []
    private var exitCode: Int32?
    private var nextID: Int64 = 1

    public init(registry: ModuleRegistry = ModuleRegistry(builtins: BuiltinModules.annotators()),
                configuration: ScholiaServer.Configuration = .init()) {
        server = ScholiaServer(
            configuration: configuration, registry: registry,
            send: { [weak self] outbound in self?.deliver(outbound) },
            onExit: { [weak self] code in self?.exited(code) })
    }

    private func deliver(_ outbound: Outbound) {
        condition.lock()
        switch outbound {
        case .message(let message): outbox.append(message)
        case .batch(let messages): outbox.append(.notification(method: "$/test/batch", params: .array(messages.map(\.json))))
        case .serialized(let body):
            // Read back as a client would; text that is not one valid message fails the waits.
            if case .success(.single(.success(let message))) = Payload.decode(body) {
                outbox.append(message)
            } else {
                outbox.append(.notification(method: "$/test/unreadable", params: .string(String(decoding: body, as: UTF8.self))))
            }
        }
        condition.broadcast()
        condition.unlock()
    }

    private func exited(_ code: Int32) {
        condition.lock()
        exitCode = code
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Sending

    /// Sends a request and waits for its response.
    @discardableResult
    public func request(_ method: String, _ params: JSONValue? = nil, timeout: Double = 10) throws -> Result<JSONValue, RPCError> {
        let id = RequestID.number(takeID())
        server.receive(.single(.success(.request(id: id, method: method, params: params))))
        let response = try waitFor(timeout: timeout) { message in
            if case .response(let responseID, _) = message, responseID == id { return true }
            return false
        }
        guard case .response(_, let result) = response else { throw TestClientError.unexpected(response) }
        return result
    }

    /// Sends a request and returns its result, failing the test on an error response.
    public func call(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        try request(method, params).get()
    }

    public func notify(_ method: String, _ params: JSONValue? = nil) {
        server.receive(.single(.success(.notification(method: method, params: params))))
    }

    /// Sends raw JSON text as one frame (to test what a server does with bad input).
    public func sendRaw(_ text: String) {
        switch Payload.decode(Array(text.utf8)) {
        case .success(let payload): server.receive(payload)
        case .failure(let error): server.receiveUnreadableFrame(code: error.code, message: error.message)
        }
    }

    @discardableResult
    public func initialize(encodings: [String]? = nil, options: JSONValue? = nil) throws -> JSONValue {
        var capabilities: JSONValue = [:]
        if let encodings { capabilities = ["general": ["positionEncodings": .array(encodings.map { .string($0) })]] }
        var params = JSONObject([("processId", .null), ("capabilities", capabilities), ("rootUri", .null)])
        if let options { params["initializationOptions"] = options }
        let result = try call("initialize", .object(params))
        notify("initialized", [:])
        return result
    }

    public func open(uri: String, text: String, version: Int = 1, languageID: String = "plaintext") {
        notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": .string(languageID), "version": .integer(Int64(version)), "text": .string(text),
        ]])
    }

    // MARK: Waiting

    /// Waits for a message matching `predicate`, removes it from the outbox and returns it.
    public func waitFor(timeout: Double = 10, _ predicate: (Message) -> Bool) throws -> Message {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = outbox.firstIndex(where: predicate) { return outbox.remove(at: index) }
            if !condition.wait(until: deadline) { throw TestClientError.timeout(outbox) }
        }
    }

    /// Waits for a notification of `method` (optionally one whose params match) and returns its params.
    public func waitForNotification(_ method: String, timeout: Double = 10, where predicate: (JSONValue) -> Bool = { _ in true }) throws -> JSONValue {
        let message = try waitFor(timeout: timeout) { message in
            if case .notification(let m, let params) = message, m == method { return predicate(params ?? .null) }
            return false
        }
        guard case .notification(_, let params) = message else { throw TestClientError.unexpected(message) }
        return params ?? .null
    }

    /// Diagnostics published for a document version.
    public func waitForDiagnostics(uri: String, version: Int? = nil, timeout: Double = 10) throws -> [JSONValue] {
        let params = try waitForNotification("textDocument/publishDiagnostics", timeout: timeout) { params in
            params["uri"]?.stringValue == uri && (version == nil || params["version"]?.intValue == version)
        }
        return params["diagnostics"]?.arrayValue ?? []
    }

    /// Every message not yet taken by a wait.
    public func drain() -> [Message] {
        condition.lock()
        defer { condition.unlock() }
        let messages = outbox
        outbox.removeAll()
        return messages
    }

    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while exitCode == nil {
            if !condition.wait(until: deadline) { throw TestClientError.timeout(outbox) }
        }
        return exitCode!
    }

    private func takeID() -> Int64 {
        condition.lock()
        defer { condition.unlock() }
        nextID += 1
        return nextID - 1
    }
}

public enum TestClientError: Error, CustomStringConvertible {
    case timeout([Message])
    case unexpected(Message)

    public var description: String {
        switch self {
        case .timeout(let pending): return "timed out; pending messages: \(pending.map(\.json))"
        case .unexpected(let message): return "unexpected message \(message.json)"
        }
    }
}
