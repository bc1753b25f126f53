import Foundation
import JSON
import Synchronization

/// The built `scholia` binary, found next to the test bundle (both live in `.build/<config>/`), or
/// named by `SCHOLIA_BIN`.
func scholiaExecutable() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SCHOLIA_BIN"] {
        return URL(fileURLWithPath: path)
    }
    var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("scholia")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw EndToEndError("the scholia binary was not found next to the test bundle; run 'swift build --build-tests' first or set SCHOLIA_BIN")
}

struct EndToEndError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `scholia serve` as a child process, driven over pipes the way an editor drives it: raw bytes in,
/// frames out. Its replies are decoded by this file's own small frame reader (not the server's),
/// so a framing bug on the server side cannot hide behind the same bug here.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: the mutable state is in `state`, under its lock.
    enum Framing { case contentLength, lines }

    private struct State {
        var buffer: [UInt8] = []
        var messages: [JSONValue] = []
        var undecodable: [String] = []
        var outputClosed = false
    }

    let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let framing: Framing
    private let state = Mutex(State())
    private let stderrText = Mutex("")
    private let arrived = DispatchSemaphore(value: 0)
    private var nextID: Int64 = 1

    init(arguments: [String] = [], framing: Framing = .contentLength) throws {
        self.framing = framing
        process.executableURL = try scholiaExecutable()
        process.arguments = ["serve"] + arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.received(handle.availableData)
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.stderrText.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    var standardError: String { stderrText.withLock { $0 } }

    // MARK: Writing

    /// Writes raw bytes to the server's standard input, exactly as given.
    func write(_ bytes: [UInt8]) {
        stdinPipe.fileHandleForWriting.write(Data(bytes))
    }

    /// The bytes of one message in this process's framing.
    func frame(_ message: JSONValue) -> [UInt8] {
        frame(body: message.serialized())
    }

    func frame(body: [UInt8]) -> [UInt8] {
        switch framing {
        case .contentLength: return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        case .lines: return body + [0x0A]
        }
    }

    func send(_ message: JSONValue) { write(frame(message)) }

    func notify(_ method: String, _ params: JSONValue? = nil) {
        var message: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
    }

    /// Sends a request and waits for the response with its id.
    @discardableResult
    func request(_ method: String, _ params: JSONValue? = nil, timeout: Double = 20) throws -> JSONValue {
        let id = takeID()
        var message: JSONObject = ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
        return try response(id: .integer(id), timeout: timeout)
    }

    /// Sends a request and returns its `result`, throwing when the answer is an error.
    func call(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let reply = try request(method, params)
        guard let result = reply["result"] else { throw EndToEndError("\(method) failed: \(reply.serializedString())") }
        return result
    }

    func takeID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    // MARK: Reading

    private func received(_ data: Data) {
        state.withLock { state in
            if data.isEmpty {
                state.outputClosed = true
                return
            }
            state.buffer.append(contentsOf: data)
            while let body = Self.takeFrame(from: &state.buffer, framing: framing) {
                do {
                    state.messages.append(try JSONParser().parse(body))
                } catch {
                    state.undecodable.append("\(error): \(String(decoding: body, as: UTF8.self))")
                }
            }
        }
        if data.isEmpty { stdoutPipe.fileHandleForReading.readabilityHandler = nil }
        arrived.signal()
    }

    private static func takeFrame(from buffer: inout [UInt8], framing: Framing) -> [UInt8]? {
        switch framing {
        case .lines:
            guard let newline = buffer.firstIndex(of: 0x0A) else { return nil }
            let line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            return line
        case .contentLength:
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard let end = buffer.firstRange(of: separator) else { return nil }
            let header = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
            guard let lengthLine = header.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
                  let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces))
            else { return nil }
            guard buffer.count >= end.upperBound + length else { return nil }
            let body = Array(buffer[end.upperBound..<(end.upperBound + length)])
            buffer.removeSubrange(..<(end.upperBound + length))
            return body
        }
    }

    /// Every message received so far.
    var messages: [JSONValue] { state.withLock { $0.messages } }
    /// Bodies that were not JSON (there should never be any).
    var undecodable: [String] { state.withLock { $0.undecodable } }

    /// Waits until a message satisfies `predicate`, and returns it.
    func waitFor(timeout: Double = 20, _ predicate: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let found = messages.first(where: predicate) { return found }
            if state.withLock({ $0.outputClosed }) {
                throw EndToEndError("the server closed its output; stderr: \(standardError)")
            }
            if Date() > deadline {
                throw EndToEndError("timed out; received: \(messages.map { $0.serializedString() }); stderr: \(standardError)")
            }
            _ = arrived.wait(timeout: .now() + 0.05)
        }
    }

    func response(id: JSONValue, timeout: Double = 20) throws -> JSONValue {
        try waitFor(timeout: timeout) { $0["id"] == id && $0["method"] == nil }
    }

    /// Responses with id null (answers to frames whose id could not be read), in arrival order.
    var nullIDErrors: [JSONValue] {
        messages.filter { $0["id"] == .null && $0["error"] != nil }
    }

    /// The latest diagnostics published for `uri` at `version`.
    func diagnostics(uri: String, version: Int64, timeout: Double = 20) throws -> [JSONValue] {
        let message = try waitFor(timeout: timeout) {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri)
                && $0["params"]?["version"] == .integer(version)
        }
        return message["params"]?["diagnostics"]?.arrayValue ?? []
    }

    /// Waits for the process to end and returns its exit status.
    func waitForExit(timeout: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { throw EndToEndError("the server did not exit; stderr: \(standardError)") }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// initialize + initialized, offering the given position encodings.
    @discardableResult
    func initialize(encodings: [String]? = nil) throws -> JSONValue {
        var capabilities: JSONObject = [:]
        if let encodings { capabilities["general"] = ["positionEncodings": .array(encodings.map(JSONValue.string))] }
        let result = try call("initialize", ["processId": .null, "capabilities": .object(capabilities)])
        notify("initialized", [:])
        return result
    }

    /// shutdown + exit, returning the exit status.
    func shutdownAndExit() throws -> Int32 {
        let reply = try request("shutdown")
        guard reply["result"] == .null else { throw EndToEndError("shutdown answered \(reply.serializedString())") }
        notify("exit")
        return try waitForExit()
    }
}
