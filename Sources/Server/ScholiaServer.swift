import AnnotationModel
import DocumentStore
import Foundation
import JSON
import JSONRPC
import ModuleHost
import Synchronization
import TextEngine
import TextModel

/// What the server writes: one message, or the answers to one batch together.
public enum Outbound: Sendable {
    case message(Message)
    case batch([Message])
    /// One message already serialized: compact JSON, written as it is (a publish of many
    /// diagnostics is spliced from cached pieces, see `DiagnosticFragmentCache`).
    case serialized([UInt8])
}

/// The Scholia language server: lifecycle, documents, and the requests of protocol.md.
///
/// It knows nothing of bytes or framing: the transport hands it decoded payloads in arrival order
/// (`receive`) and gets back what to write (`send`). Messages are handled in order on the caller's
/// thread, so a document change is always applied before a later request reads that document;
/// annotation runs on a work queue, and a result whose document has moved on is thrown away.
public final class ScholiaServer: Sendable {
    public struct Configuration: Sendable {
        public var name: String
        public var version: String
        /// Language when neither the client nor the request says (nil: detect per document).
        public var language: Language?

        /// Adds the modules of a workspace root (`ROOT/.scholia/modules`) to the registry. Called at
        /// `initialize` for each root, and only when the client's `initializationOptions` say
        /// `scholia.trustWorkspaceModules: true`: a workspace's modules are code from the workspace.
        /// The CLI wires it to `ModuleLoader.addWorkspaceModules`; nil never loads any.
        public var loadWorkspaceModules: (@Sendable (_ root: String, _ registry: inout ModuleRegistry) -> Void)?

        public init(
            name: String = "scholia", version: String = ScholiaVersion.current, language: Language? = nil,
            loadWorkspaceModules: (@Sendable (_ root: String, _ registry: inout ModuleRegistry) -> Void)? = nil
        ) {
            self.name = name
            self.version = version
            self.language = language
            self.loadWorkspaceModules = loadWorkspaceModules
        }
    }

    enum Phase: Sendable, Equatable {
        case uninitialized
        case running
        case shuttingDown
        case exited
    }

    struct State: Sendable {
        var phase: Phase = .uninitialized
        var encoding: PositionEncoding = .utf16
        var documents = DocumentStore()
        var inFlight: [RequestID: CancellationFlag] = [:]
        /// The settings in force, and those `initialize` set up (the layer configuration changes apply over).
        var settings = Settings()
        var initialSettings = Settings()
        /// Bumped on every settings change, so results computed under older settings are known stale.
        var settingsGeneration = 0
        var client = ClientFeatures()
        /// The latest analysis of each open document (reused by every feature that reads it).
        var analyses: [String: DocumentAnalysis] = [:]
        /// Per document, the incremental run that owns the previous analysis's annotations (taken
        /// out of `analyses`) until its own analysis is stored; others wait for it.
        var merges: [String: DispatchGroup] = [:]
        /// Each open document's serialized diagnostics, reused from publish to publish.
        var diagnosticCaches: [String: DiagnosticFragmentCache] = [:]
        /// Bumped on every `didOpen`, so a reopened document never repeats an old result id.
        var openCount = 0
        var openSerials: [String: Int] = [:]
        /// Requests the server sent to the client, waiting for their answers.
        var outgoing: [RequestID: @Sendable (Result<JSONValue, RPCError>) -> Void] = [:]
        var nextOutgoingID = 1
        /// The last full semantic tokens sent per document, for `full/delta`.
        var semanticTokens: [String: SemanticTokensResult] = [:]
        var nextSemanticTokensID = 1

        var language: Language? {
            get { settings.language }
            set { settings.language = newValue }
        }
        var enabledModules: Set<String>? {
            get { settings.enabledModules }
            set { settings.enabledModules = newValue }
        }
    }

    let configuration: Configuration
    /// The modules; fixed once `initialize` has added a trusted workspace's.
    let modules: Mutex<ModuleRegistry>
    var registry: ModuleRegistry { modules.withLock { $0 } }
    let state: Mutex<State>
    let send: @Sendable (Outbound) -> Void
    let log: @Sendable (String) -> Void
    let onExit: @Sendable (Int32) -> Void
    let work = DispatchQueue(label: "scholia.annotate", qos: .userInitiated, attributes: .concurrent)
    /// Each kind's severity as its module declares it; settings may override it.
    var defaultSeverities: [AnnotationKind: AnnotationSeverity] {
        var severities: [AnnotationKind: AnnotationSeverity] = [:]
        for module in registry.modules {
            for kind in module.descriptor.kinds where severities[kind.kind] == nil {
                severities[kind.kind] = kind.defaultSeverity
            }
        }
        return severities
    }

    /// - Parameters:
    ///   - send: writes a message to the client; called from any thread.
    ///   - log: a line for the server's own log (stderr in `scholia serve`).
    ///   - onExit: called once on `exit` (0 after `shutdown`, 1 otherwise) or end of input.
    public init(
        configuration: Configuration = Configuration(), registry: ModuleRegistry,
        send: @escaping @Sendable (Outbound) -> Void,
        log: @escaping @Sendable (String) -> Void = { _ in },
        onExit: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.modules = Mutex(registry)
        self.send = send
        self.log = log
        self.onExit = onExit
        var state = State()
        state.settings.language = configuration.language
        state.initialSettings = state.settings
        self.state = Mutex(state)
    }

    // MARK: Input

    /// Handles one decoded frame. Answers to a batch go out together as one batch.
    public func receive(_ payload: Payload) {
        switch payload {
        case .single(let item):
            process(item) { [send] reply in send(.message(reply)) }
        case .batch(let items):
            let expected = items.reduce(0) { count, item in
                switch item {
                case .failure, .success(.request): return count + 1
                default: return count
                }
            }
            let replies = BatchReplies(expected: expected, send: send)
            for item in items { process(item, reply: replies.add) }
        }
    }

    /// A frame that could not be read at all (a bad header, an over-size message, a frame that is
    /// not JSON): answered with id null, as JSON-RPC requires when the id is unknown.
    public func receiveUnreadableFrame(code: Int, message: String) {
        log("unreadable message: \(message)")
        send(.message(.response(id: nil, result: .failure(RPCError(code: code, message: message)))))
    }

    /// The client closed its end without `exit`.
    public func endOfInput() {
        let code: Int32? = state.withLock { state in
            guard state.phase != .exited else { return nil }
            let code: Int32 = state.phase == .shuttingDown ? 0 : 1
            state.phase = .exited
            return code
        }
        if let code {
            log("input closed\(code == 0 ? "" : " without shutdown and exit")")
            onExit(code)
        }
    }

    private func process(_ item: Result<Message, InvalidMessage>, reply: @escaping @Sendable (Message) -> Void) {
        switch item {
        case .failure(let invalid):
            log("invalid message: \(invalid.error.message)")
            reply(.response(id: invalid.id, result: .failure(invalid.error)))
        case .success(.request(let id, let method, let params)):
            handleRequest(id: id, method: method, params: params) { result in
                reply(.response(id: id, result: result))
            }
        case .success(.notification(let method, let params)):
            handleNotification(method: method, params: params)
        case .success(.response(let id, let result)):
            let handler = id.flatMap { id in state.withLock { $0.outgoing.removeValue(forKey: id) } }
            if let handler {
                handler(result)
            } else {
                log("ignored a response (id \(id.map(\.description) ?? "null")) to nothing the server asked")
            }
        }
    }

    // MARK: Requests

    typealias Completion = @Sendable (Result<JSONValue, RPCError>) -> Void

    private func handleRequest(id: RequestID, method: String, params: JSONValue?, complete: @escaping Completion) {
        let phase = state.withLock { $0.phase }
        if method == "initialize" {
            guard phase == .uninitialized else {
                complete(.failure(.invalidRequest("initialize may be sent only once")))
                return
            }
            complete(Result { () throws(RPCError) -> JSONValue in try initialize(params) })
            return
        }
        switch phase {
        case .uninitialized:
            complete(.failure(.serverNotInitialized(method)))
            return
        case .shuttingDown, .exited:
            complete(.failure(.invalidRequest("server is shutting down: only 'exit' is accepted after 'shutdown'")))
            return
        case .running:
            break
        }
        switch method {
        case "shutdown":
            state.withLock { $0.phase = .shuttingDown }
            // Process modules get their own shutdown before the server answers its client's.
            shutdownModules()
            complete(.success(.null))
        case "scholia/annotate":
            annotateRequest(id: id, method: method, answering: .annotations, params: params, complete: complete)
        case "scholia/profile":
            annotateRequest(id: id, method: method, answering: .profile, params: params, complete: complete)
        case "scholia/modules":
            let registry = registry
            var result: JSONObject = ["modules": .array(registry.modules.map(Self.moduleJSON))]
            if !registry.problems.isEmpty { result["problems"] = .array(registry.problems.map { .string($0) }) }
            complete(.success(.object(result)))
        default:
            if !handleEditorRequest(id: id, method: method, params: params, complete: complete) {
                complete(.failure(.methodNotFound(method)))
            }
        }
    }

    // MARK: Notifications

    private func handleNotification(method: String, params: JSONValue?) {
        let phase = state.withLock { $0.phase }
        if method == "exit" {
            let code: Int32? = state.withLock { state in
                guard state.phase != .exited else { return nil }
                let code: Int32 = state.phase == .shuttingDown ? 0 : 1
                state.phase = .exited
                return code
            }
            if let code { onExit(code) }
            return
        }
        // Before initialize, notifications are dropped (LSP); after shutdown, likewise.
        guard phase == .running else {
            log("dropped notification '\(method)' (\(phase == .uninitialized ? "before initialize" : "after shutdown"))")
            return
        }
        do throws(RPCError) {
            switch method {
            case "initialized":
                initialized()
            case "$/setTrace", "$/logTrace":
                break
            case "workspace/didChangeConfiguration":
                try didChangeConfiguration(params)
            case "$/cancelRequest":
                let params = try Params(method: method, params)
                guard let rawID = params["id"], let id = RequestID(json: rawID) else {
                    throw RPCError.invalidParams("$/cancelRequest: 'id' must be a string or an integer")
                }
                state.withLock { $0.inFlight[id]?.cancel() }
            case "textDocument/didOpen":
                try didOpen(params)
            case "textDocument/didChange":
                try didChange(params)
            case "textDocument/didClose":
                try didClose(params)
            default:
                if !method.hasPrefix("$/") { log("ignored unknown notification '\(method)'") }
            }
        } catch {
            // A notification has no answer; the client hears of the problem through its log.
            logToClient(.error, error.message)
        }
    }

    // MARK: Helpers

    enum MessageType: Int64 {
        case error = 1, warning, info, log
    }

    /// Shows a message to the user (`window/showMessage`): how modules report a crash. Safe from any thread.
    public func showMessage(level: Int, _ message: String) {
        log(message)
        send(.message(.notification(
            method: "window/showMessage", params: ["type": .integer(Int64(level)), "message": .string(message)])))
    }

    /// Stops the modules that run as processes. Called on `shutdown`; the CLI calls it again at exit
    /// (a second call does nothing).
    public func shutdownModules() {
        registry.shutdownModules()
    }

    func logToClient(_ type: MessageType, _ message: String) {
        log(message)
        send(.message(.notification(
            method: "window/logMessage", params: ["type": .integer(type.rawValue), "message": .string(message)])))
    }

    /// The language to annotate a text in: the request's, else the client's setting, else detected.
    func language(for utf8: [UInt8], requested: Language?) -> Language {
        if let requested { return requested }
        if let configured = state.withLock({ $0.language }) { return configured }
        return LanguageDetector.detect(utf8)
    }

    /// Reads a language parameter: `auto` (or absent) is nil; otherwise a language some module handles.
    func parseLanguage(_ value: String?, field: String) throws(RPCError) -> Language? {
        guard let value, value.lowercased() != "auto" else { return nil }
        let supported = Set(registry.modules.flatMap(\.descriptor.languages).map(\.rawValue))
        let language = Language(rawValue: value)
        guard supported.contains(language.rawValue) else {
            throw .invalidParams(
                "\(field): unsupported language '\(value)' (supported: auto, \(supported.sorted().joined(separator: ", ")))")
        }
        return language
    }

    func parseModules(_ names: [String]?, field: String) throws(RPCError) -> Set<String>? {
        guard let names else { return nil }
        let unknown = registry.unknownNames(in: names)
        guard unknown.isEmpty else {
            throw .invalidParams(
                "\(field): unknown module\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) "
                    + "(loaded: \(registry.names.joined(separator: ", ")))")
        }
        return Set(names)
    }

    public static func moduleJSON(_ module: RegisteredModule) -> JSONValue {
        var object = JSONObject()
        object["name"] = .string(module.descriptor.name)
        object["version"] = .string(module.descriptor.version)
        object["description"] = .string(module.descriptor.description)
        object["kinds"] = .array(module.descriptor.kinds.map { kind in
            ["kind": .string(kind.kind.rawValue), "severity": .string(kind.defaultSeverity.name),
             "tokenType": .string(kind.tokenType)]
        })
        object["languages"] = .array(module.descriptor.languages.map { .string($0.rawValue) })
        object["origin"] = .string(module.origin.description)
        object["status"] = .string(module.status.rawValue)
        if let error = module.currentError { object["lastError"] = .string(error) }
        return .object(object)
    }
}

/// Set by `$/cancelRequest`, read by the work it stops.
final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Collects the answers to one batch and sends them together once the last one is in.
final class BatchReplies: Sendable {
    private let replies = Mutex<[Message]>([])
    private let expected: Int
    private let send: @Sendable (Outbound) -> Void

    init(expected: Int, send: @escaping @Sendable (Outbound) -> Void) {
        self.expected = expected
        self.send = send
    }

    func add(_ reply: Message) {
        let complete: [Message]? = replies.withLock { replies in
            replies.append(reply)
            return replies.count == expected ? replies : nil
        }
        if let complete { send(.batch(complete)) }
    }
}

public enum ScholiaVersion {
    public static let current = "0.1.0"
}
