import Synchronization

/// Where modules report what the user should know: log lines (dropped spans, restarts) and alerts
/// (a module crashed), which the server shows as `window/showMessage`.
///
/// Modules are loaded before the server exists, so the handlers are set later (`setHandlers`); until
/// then, log lines go nowhere and alerts are kept and delivered when a handler arrives.
public final class ModuleEvents: Sendable {
    public enum Level: Int, Sendable {
        case error = 1, warning, info, log
    }

    private struct State {
        var log: (@Sendable (String) -> Void)?
        var alert: (@Sendable (Level, String) -> Void)?
        var heldAlerts: [(Level, String)] = []
        /// Modules already shown to the client once; a flapping module does not flood the editor.
        var alerted: Set<String> = []
    }

    private let state = Mutex(State())

    public init() {}

    public func setHandlers(log: @escaping @Sendable (String) -> Void, alert: @escaping @Sendable (Level, String) -> Void) {
        let held = state.withLock { state in
            state.log = log
            state.alert = alert
            defer { state.heldAlerts = [] }
            return state.heldAlerts
        }
        for (level, message) in held { alert(level, message) }
    }

    public func log(_ message: String) {
        let handler = state.withLock { $0.log }
        handler?(message)
    }

    /// Logs `message` and, the first time for `module`, shows it to the user.
    public func alertOnce(module: String, level: Level, _ message: String) {
        log(message)
        let handler: (@Sendable (Level, String) -> Void)?? = state.withLock { state in
            guard state.alerted.insert(module).inserted else { return .none }
            if state.alert == nil { state.heldAlerts.append((level, message)) }
            return .some(state.alert)
        }
        if case .some(.some(let alert)) = handler { alert(level, message) }
    }
}
