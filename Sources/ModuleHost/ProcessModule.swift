import AnnotationModel
import Foundation
import JSON
import JSONRPC
import Synchronization

/// A module that is a program: spawned on first use and kept, spoken to with JSON-RPC 2.0 over its
/// stdin and stdout with LSP framing (`Content-Length`), the same framing `scholia serve` reads.
///
/// Supervised so that the server never blocks on it or dies with it: each call has a deadline
/// (`timeoutMs`, default 2 s) after which it is abandoned (`$/cancelRequest`) and the document gets
/// the other modules' results; when the program exits, the calls waiting on it fail at once, the
/// user is told once (`ModuleEvents.alertOnce`), and it is started again on a later call after a
/// back-off of 0.5 s, 1 s, 2 s … up to 30 s. A program that keeps timing out is restarted too.
public final class ProcessModule: Annotator, SupervisedModule, Sendable {
    public let descriptor: ModuleDescriptor
    public let manifest: ModuleManifest
    let argv: [String]
    let events: ModuleEvents
    let timeout: Duration
    /// Starting an interpreter takes longer than answering a call, so the handshake gets more time.
    let startTimeout: Duration

    private struct State {
        var child: ModuleProcess?
        /// Consecutive crashes (reset by a successful call); sets the back-off.
        var crashes = 0
        var consecutiveTimeouts = 0
        var notBefore: ContinuousClock.Instant?
        var lastError: String?
        var stopped = false
    }

    private let state = Mutex(State())

    static let maximumBackoff: Duration = .seconds(30)
    /// Timeouts in a row after which the program is presumed stuck and restarted.
    static let timeoutsBeforeRestart = 3

    public init(manifest: ModuleManifest, events: ModuleEvents) {
        guard case .command(let argv) = manifest.implementation else {
            preconditionFailure("ProcessModule needs a manifest with 'command'")
        }
        self.descriptor = manifest.descriptor
        self.manifest = manifest
        self.argv = argv
        self.events = events
        self.timeout = .milliseconds(manifest.timeoutMilliseconds)
        self.startTimeout = .milliseconds(max(manifest.timeoutMilliseconds, 5000))
    }

    public var lastError: String? { state.withLock { $0.lastError } }

    /// The back-off before restart number `crashes` (1-based): 0.5 s doubling, at most 30 s.
    static func backoff(afterCrashes crashes: Int) -> Duration {
        guard crashes > 0 else { return .zero }
        let milliseconds = 500 * (1 << min(crashes - 1, 16))
        return min(.milliseconds(milliseconds), maximumBackoff)
    }

    // MARK: Annotating

    public func annotate(_ request: AnnotationRequest) throws -> [Annotation] {
        let (child, encoding) = try runningChild()
        let outcome = child.call(method: "annotate", params: ModuleWire.annotateParams(request), timeout: timeout)
        switch outcome {
        case .result(let result):
            state.withLock { state in
                state.crashes = 0
                state.consecutiveTimeouts = 0
            }
            let (annotations, problems) = try ModuleWire.annotations(
                from: result, request: request, module: descriptor.name, encoding: encoding)
            for problem in problems { events.log("module \(descriptor.name): dropped \(problem)") }
            return annotations
        case .error(let error):
            throw AnnotatorError("module \(descriptor.name) answered an error: \(error.message)")
        case .timedOut:
            let stuck = state.withLock { state -> Bool in
                state.consecutiveTimeouts += 1
                state.lastError = "annotate timed out after \(manifest.timeoutMilliseconds) ms"
                return state.consecutiveTimeouts >= Self.timeoutsBeforeRestart
            }
            events.log("module \(descriptor.name): annotate timed out after \(manifest.timeoutMilliseconds) ms; its annotations are left out")
            if stuck {
                events.log("module \(descriptor.name): \(Self.timeoutsBeforeRestart) timeouts in a row; restarting it")
                child.terminate()
            }
            throw AnnotatorError("timed out after \(manifest.timeoutMilliseconds) ms")
        case .exited(let reason):
            throw AnnotatorError("module \(descriptor.name) \(reason)")
        }
    }

    /// The running program, started (and initialized) if need be. Throws at once while backing off.
    private func runningChild() throws -> (ModuleProcess, ModulePositionEncoding) {
        // One caller starts the program; others wait on the lock rather than start a second copy.
        try state.withLock { state throws -> (ModuleProcess, ModulePositionEncoding) in
            if state.stopped { throw AnnotatorError("module \(descriptor.name) has been shut down") }
            if let child = state.child, child.isAlive, let encoding = child.encoding { return (child, encoding) }
            if let notBefore = state.notBefore, ContinuousClock.now < notBefore {
                throw AnnotatorError("module \(descriptor.name) is waiting to restart (\(state.lastError ?? "it stopped"))")
            }
            let child: ModuleProcess
            do {
                child = try ModuleProcess(argv: argv, directory: manifest.directory, name: descriptor.name, events: events) {
                    [weak self] child, reason in self?.exited(child, reason: reason)
                }
            } catch {
                noteFailure(&state, "cannot start \(argv.joined(separator: " ")): \(error)")
                alertStartFailure(state)
                throw AnnotatorError("module \(descriptor.name): \(state.lastError!)")
            }
            state.child = child
            do {
                let encoding = try handshake(child)
                child.encoding = encoding
                return (child, encoding)
            } catch {
                child.terminate()
                state.child = nil
                noteFailure(&state, "\(error)")
                alertStartFailure(state)
                throw AnnotatorError("module \(descriptor.name): \(error)")
            }
        }
    }

    /// `initialize`: the program says who it is and the offsets it counts in.
    private func handshake(_ child: ModuleProcess) throws -> ModulePositionEncoding {
        let params: JSONValue = [
            "processId": .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
            "host": ["name": "scholia", "abi": 1],
            "positionEncodings": ["utf-8", "utf-32"],
        ]
        switch child.call(method: "initialize", params: params, timeout: startTimeout) {
        case .result(let result):
            let declared = try ModuleWire.descriptor(from: result, path: "\(descriptor.name): initialize")
            guard declared.name == descriptor.name else {
                throw ModuleLoadError("initialize names the module '\(declared.name)', its manifest '\(descriptor.name)'")
            }
            let raw = result["positionEncoding"]?.stringValue ?? ModulePositionEncoding.utf8.rawValue
            guard let encoding = ModulePositionEncoding(rawValue: raw) else {
                throw ModuleLoadError("initialize asks for position encoding '\(raw)'; expected utf-8 or utf-32")
            }
            return encoding
        case .error(let error):
            throw ModuleLoadError("initialize failed: \(error.message)")
        case .timedOut:
            throw ModuleLoadError("no answer to initialize within \(startTimeout)")
        case .exited(let reason):
            throw ModuleLoadError(reason)
        }
    }

    /// A program that does not start (not installed, wrong name in `initialize`) is as much news to
    /// the user as one that crashes. The alert handler never calls back into this module, so it may
    /// run under the lock.
    private func alertStartFailure(_ state: State) {
        events.alertOnce(
            module: descriptor.name, level: .error,
            "Scholia module \(descriptor.name) could not start: \(state.lastError ?? "unknown error"); "
                + "next try in \(Self.backoff(afterCrashes: state.crashes)).")
    }

    private func noteFailure(_ state: inout State, _ message: String) {
        state.crashes += 1
        state.lastError = message
        state.notBefore = ContinuousClock.now + Self.backoff(afterCrashes: state.crashes)
    }

    /// Called once per program, from its reader thread, when its output ends.
    private func exited(_ child: ModuleProcess, reason: String) {
        let (expected, crashes) = state.withLock { state -> (Bool, Int) in
            guard state.child === child else { return (true, state.crashes) }
            state.child = nil
            if state.stopped { return (true, state.crashes) }
            noteFailure(&state, reason)
            return (false, state.crashes)
        }
        guard !expected else { return }
        let delay = Self.backoff(afterCrashes: crashes)
        events.alertOnce(
            module: descriptor.name, level: .error,
            "Scholia module \(descriptor.name) \(reason); its annotations are missing until it restarts (next try in \(delay)).")
    }

    // MARK: Stopping

    /// Sends `shutdown`, closes the program's input and waits briefly before killing it.
    public func shutdown() {
        let child = state.withLock { state -> ModuleProcess? in
            state.stopped = true
            defer { state.child = nil }
            return state.child
        }
        guard let child, child.isAlive else { return }
        _ = child.call(method: "shutdown", params: nil, timeout: .milliseconds(500))
        child.notify(method: "exit", params: nil)
        child.closeInput()
        if !child.waitForExit(timeout: .seconds(1)) { child.terminate() }
    }

    deinit {
        state.withLock { $0.child }?.terminate()
    }
}

/// A module the host keeps running, whose state changes after loading.
public protocol SupervisedModule: AnyObject, Sendable {
    /// What went wrong last (a crash, a timeout), for `scholia/modules`.
    var lastError: String? { get }
    /// Stops the module cleanly (process modules: `shutdown`, then the process ends).
    func shutdown()
}

extension RegisteredModule {
    /// The module's last error as of now: a running module's supervisor knows better than the registry.
    public var currentError: String? {
        (annotator as? any SupervisedModule)?.lastError ?? lastError
    }
}

extension ModuleRegistry {
    /// Stops the modules that run outside the server (process modules), each cleanly if it can.
    public func shutdownModules() {
        for module in modules {
            (module.annotator as? any SupervisedModule)?.shutdown()
        }
    }
}
