import Foundation
import JSON
import JSONRPC
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How one call to a module program ended.
enum CallOutcome: Sendable {
    case result(JSONValue)
    case error(RPCError)
    case timedOut
    /// The program's output ended before the answer (it exited or closed stdout).
    case exited(String)
}

/// One running module program and the JSON-RPC calls in flight to it.
///
/// Its stdout is read on a thread of its own, so a program that writes nothing, writes garbage or
/// never ends cannot hold up anyone: callers wait on their own call with a deadline. Writes to its
/// stdin are whole frames under a lock; a write to a program that has gone reports failure instead
/// of raising SIGPIPE (ignored process-wide on first spawn, as `scholia` itself does).
final class ModuleProcess: Sendable {
    let name: String
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let events: ModuleEvents
    private let onExit: @Sendable (ModuleProcess, String) -> Void

    private final class Waiter: Sendable {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<CallOutcome?>(nil)
        func finish(_ value: CallOutcome) {
            let first = outcome.withLock { outcome in
                guard outcome == nil else { return false }
                outcome = value
                return true
            }
            if first { done.signal() }
        }
    }

    private struct State {
        var nextID: Int64 = 1
        var waiters: [Int64: Waiter] = [:]
        var ended: String?
        var encoding: ModulePositionEncoding?
    }

    private let state = Mutex(State())
    private let writeLock = Mutex(())
    private let exitedSignal = DispatchSemaphore(value: 0)

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    init(
        argv: [String], directory: String, name: String, events: ModuleEvents,
        onExit: @escaping @Sendable (ModuleProcess, String) -> Void
    ) throws {
        _ = Self.ignoreSIGPIPE
        self.name = name
        self.events = events
        self.onExit = onExit
        let process = Process()
        // env finds a bare program name on PATH, as a shell would; a path is used as it is.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let stdinPipe = Pipe(), stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        // The module's stderr is the server's log: tracebacks land where the server's own lines do.
        process.standardError = FileHandle.standardError
        try process.run()
        self.process = process
        self.input = stdinPipe.fileHandleForWriting
        self.output = stdoutPipe.fileHandleForReading
        // Our copies of the child's ends, so that its exit closes the pipes.
        try? stdinPipe.fileHandleForReading.close()
        try? stdoutPipe.fileHandleForWriting.close()
        let thread = Thread { [self] in readLoop() }
        thread.name = "scholia.module.\(name)"
        thread.start()
    }

    var isAlive: Bool { state.withLock { $0.ended == nil } }

    var encoding: ModulePositionEncoding? {
        get { state.withLock { $0.encoding } }
        set { state.withLock { $0.encoding = newValue } }
    }

    // MARK: Calls

    func call(method: String, params: JSONValue?, timeout: Duration) -> CallOutcome {
        let waiter = Waiter()
        let registered = state.withLock { state -> (Int64, String?) in
            if let ended = state.ended { return (0, ended) }
            let id = state.nextID
            state.nextID += 1
            state.waiters[id] = waiter
            return (id, nil)
        }
        if let ended = registered.1 { return .exited(ended) }
        let id = registered.0
        if !write(.request(id: .number(id), method: method, params: params)) {
            // The reader will see the output end and fail this call with the reason.
            _ = waiter.done.wait(timeout: .now() + 1)
            state.withLock { _ = $0.waiters.removeValue(forKey: id) }
            return waiter.outcome.withLock { $0 } ?? .exited("stopped reading its input")
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if waiter.done.wait(timeout: .now() + seconds) == .timedOut {
            state.withLock { _ = $0.waiters.removeValue(forKey: id) }
            // The answer may have arrived between the deadline and the removal; it wins if so.
            if let outcome = waiter.outcome.withLock({ $0 }) { return outcome }
            notify(method: "$/cancelRequest", params: ["id": .integer(id)])
            return .timedOut
        }
        return waiter.outcome.withLock { $0 } ?? .timedOut
    }

    func notify(method: String, params: JSONValue?) {
        _ = write(.notification(method: method, params: params))
    }

    private func write(_ message: Message) -> Bool {
        let frame = FrameWriter(mode: .contentLength).frame(message)
        let fd = input.fileDescriptor
        return writeLock.withLock { _ in
            var written = 0
            while written < frame.count {
                let n = frame.withUnsafeBytes { buffer in
                    Glibc.write(fd, buffer.baseAddress! + written, frame.count - written)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
    }

    func closeInput() { try? input.close() }

    /// Kills the program (SIGKILL: it is not answering, so it would not heed a polite signal either).
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func waitForExit(timeout: Duration) -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard exitedSignal.wait(timeout: .now() + seconds) == .success else { return false }
        exitedSignal.signal()
        return true
    }

    // MARK: Reading

    private func readLoop() {
        var framer = MessageFramer(mode: .contentLength)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let fd = output.fileDescriptor
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            for frame in framer.frames(appending: buffer[0..<n]) { handle(frame) }
        }
        for frame in framer.finishInput() { handle(frame) }
        let reason = exitReason()
        try? output.close()
        let waiters = state.withLock { state -> [Waiter] in
            state.ended = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        // Callers are released before the supervisor hears of it, so it never waits on them.
        for waiter in waiters { waiter.finish(.exited(reason)) }
        exitedSignal.signal()
        onExit(self, reason)
    }

    /// Why the output ended: the exit status, or that the program closed stdout and was stopped.
    private func exitReason() -> String {
        // A program that closed stdout but lives on gets a moment, then is stopped.
        for _ in 0..<20 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return "closed its output and was stopped"
        }
        process.waitUntilExit()
        switch process.terminationReason {
        case .uncaughtSignal: return "was killed by signal \(process.terminationStatus)"
        default: return "exited with status \(process.terminationStatus)"
        }
    }

    private func handle(_ frame: MessageFramer.Frame) {
        switch frame {
        case .error(let error):
            events.log("module \(name): unreadable output: \(error.message)")
        case .body(let bytes):
            guard case .success(.single(let item)) = Payload.decode(bytes) else {
                events.log("module \(name): output is not a JSON-RPC message: \(String(decoding: bytes.prefix(120), as: UTF8.self))")
                return
            }
            switch item {
            case .success(.response(let id, let result)):
                guard case .number(let number)? = id,
                      let waiter = state.withLock({ $0.waiters.removeValue(forKey: number) })
                else {
                    // An answer to a call already abandoned (it timed out): nothing waits for it.
                    return
                }
                switch result {
                case .success(let value): waiter.finish(.result(value))
                case .failure(let error): waiter.finish(.error(error))
                }
            case .success(.notification(let method, let params)):
                // A module may log through the usual LSP notification.
                if method == "window/logMessage", let message = params?["message"]?.stringValue {
                    events.log("module \(name): \(message)")
                }
            case .success(.request(let id, let method, _)):
                _ = write(.response(id: id, result: .failure(.methodNotFound(method))))
            case .failure(let invalid):
                events.log("module \(name): invalid message: \(invalid.error.message)")
            }
        }
    }
}
